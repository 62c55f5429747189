"""Reading ID cards and business licenses: locate, turn upright, classify, parse.

`read_document` is the one entry point a worker calls; `locate_document` is
shared with the image-quality checks, which look at the same flattened crop.
"""
from pipeline.documents.locate import LocateSettings, locate_document
from pipeline.documents.reader import DocumentReading, ReadingSettings, read_document

__all__ = ["DocumentReading", "LocateSettings", "ReadingSettings", "locate_document",
           "read_document"]
