"""Finding the card or the license in a photo of a desk, and flattening it.

Candidate outlines come from four views of a small copy of the photo (edges,
brightness, colour saturation, fine texture against the surface's own); each is
fitted with four straight sides (a card's rounded corners are extrapolated). An
outline counts when most of it lies on a strong edge, or, for a white card on a
white desk whose edges barely show, when the region it came from fills it like a
card fills its outline. The best outline is warped from the full-resolution
photo into a flat rectangle of the document's proportions.
"""
from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from pipeline.analysis import Quad

CARD_ASPECT = 85.6 / 54.0  # ISO/IEC 7810 ID-1, the resident ID card
PAGE_ASPECT = 2 ** 0.5  # A-series paper: 营业执照 originals and copies


@dataclass(frozen=True)
class LocateSettings:
    work_side: int = 640  # outlines are searched on a copy this large
    min_area: float = 0.08  # of the photo
    max_area: float = 0.985  # larger is the photo's own frame
    min_support: float = 0.55  # share of the outline on a strong edge
    min_fill: float = 0.93  # or: share of the outline filled by the region it bounds
    min_aspect: float = 1.33  # long side over short side, with some perspective:
    max_aspect: float = 1.9  # cards are 1.59, A-series pages 1.41
    card_width: int = 856  # the flattened card: 856 x 540, a 10 px/mm scan
    page_side: int = 2000  # the flattened license's long side, at most


def locate_document(image_bgr: np.ndarray, settings: LocateSettings = LocateSettings()
                    ) -> tuple[Quad | None, np.ndarray | None]:
    """The document's outline in the photo and its flattened crop, or (None, None).

    The quad runs clockwise from the top-left corner as the photo shows it; the
    crop maps that corner to its own top-left.
    """
    image_bgr = as_bgr(image_bgr)
    quad = find_outline(image_bgr, settings)
    if quad is None:
        return None, None
    return quad, flatten(image_bgr, quad, settings)


def as_bgr(image: np.ndarray) -> np.ndarray:
    """Three channels whatever came in: a grey scan or an image with alpha."""
    if image.ndim == 2:
        return cv2.cvtColor(image, cv2.COLOR_GRAY2BGR)
    if image.ndim == 3 and image.shape[2] == 4:
        return cv2.cvtColor(image, cv2.COLOR_BGRA2BGR)
    if image.ndim == 3 and image.shape[2] == 1:
        return cv2.cvtColor(image, cv2.COLOR_GRAY2BGR)
    return image


def find_outline(image_bgr: np.ndarray, settings: LocateSettings = LocateSettings()
                 ) -> Quad | None:
    if image_bgr is None or image_bgr.ndim != 3 or min(image_bgr.shape[:2]) < 32:
        return None
    small, scale = _small(image_bgr, settings)
    strong = _strong_edges(small)
    area = small.shape[0] * small.shape[1]
    best, best_score = None, 0.0
    for points, fill in _candidates(small, settings):
        support = _support(points, strong)
        if support >= settings.min_support:
            score = support
        elif fill >= settings.min_fill:
            score = 0.5 * fill  # below any outline that shows on edges
        else:
            continue
        score += 0.15 * cv2.contourArea(points) / area  # the page over its printed border
        if score > best_score:
            best, best_score = points, score
    if best is None:
        return None
    return [[round(float(x) / scale, 1), round(float(y) / scale, 1)] for x, y in best]


def flatten(image_bgr: np.ndarray, quad: Quad, settings: LocateSettings = LocateSettings(),
            *, page: bool = False) -> np.ndarray:
    """The quad's content as an upright-as-photographed rectangle; `page`: a license,
    never flattened to card size whatever its outline's proportions."""
    height, width = image_bgr.shape[:2]
    width, height = crop_size(quad, settings, centre=(width / 2, height / 2), page=page)
    target = np.float32([[0, 0], [width, 0], [width, height], [0, height]])
    matrix = cv2.getPerspectiveTransform(np.float32(quad), target)
    return cv2.warpPerspective(image_bgr, matrix, (width, height), flags=cv2.INTER_AREA,
                               borderMode=cv2.BORDER_REPLICATE)


def card_shaped(width: float, height: float) -> bool:
    """Closer to an ID card's proportions than to a page's."""
    aspect = max(width, height) / max(min(width, height), 1.0)
    return abs(aspect - CARD_ASPECT) < abs(aspect - PAGE_ASPECT)


def crop_size(quad: Quad, settings: LocateSettings = LocateSettings(),
              centre: tuple[float, float] | None = None, *, page: bool = False
              ) -> tuple[int, int]:
    """The flattened size: the document's own proportions, seen through the perspective.

    A card is scanned at 10 px/mm. A page (any `page`, and what is not card-shaped)
    keeps the photo's own pixels up to `page_side`: a license's printed border may be
    about 1.6:1 like a card, but its smallest print needs every pixel the photo has.
    """
    p = np.float64(quad)
    width = (np.linalg.norm(p[1] - p[0]) + np.linalg.norm(p[2] - p[3])) / 2
    height = (np.linalg.norm(p[3] - p[0]) + np.linalg.norm(p[2] - p[1])) / 2
    aspect = true_aspect(p, centre) if centre is not None else None
    if aspect is not None and 0.8 < aspect / (width / max(height, 1.0)) < 1.25:
        width = (width * height * aspect) ** 0.5
        height = width / aspect
    long, short = max(width, height), max(min(width, height), 1.0)
    if card_shaped(width, height) and not page:
        long, short = settings.card_width, settings.card_width / CARD_ASPECT
    else:
        factor = min(1.0, settings.page_side / long)
        long, short = long * factor, short * factor
    if width >= height:
        return int(round(long)), int(round(short))
    return int(round(short)), int(round(long))


def true_aspect(quad: np.ndarray, centre: tuple[float, float]) -> float | None:
    """Width over height of the rectangle a pinhole camera saw as `quad`.

    Zhang and He, "Whiteboard scanning and image enhancement" (2007): with the
    principal point at the photo's centre and square pixels, the focal length
    and the rectangle's proportions follow from the four corners. None when the
    view is too frontal to tell (then the quad's own proportions are right).
    """
    m1, m2, m4, m3 = (np.array([x - centre[0], y - centre[1], 1.0]) for x, y in quad)
    k2 = np.dot(np.cross(m1, m4), m3) / np.dot(np.cross(m2, m4), m3)
    k3 = np.dot(np.cross(m1, m4), m2) / np.dot(np.cross(m3, m4), m2)
    n2, n3 = k2 * m2 - m1, k3 * m3 - m1
    if abs(n2[2] * n3[2]) < 1e-9:
        return None
    focal2 = -(n2[0] * n3[0] + n2[1] * n3[1]) / (n2[2] * n3[2])
    if focal2 <= 0:
        return None
    ratio2 = (n2[0] ** 2 + n2[1] ** 2 + focal2 * n2[2] ** 2) / \
        (n3[0] ** 2 + n3[1] ** 2 + focal2 * n3[2] ** 2)
    return float(ratio2 ** 0.5) if ratio2 > 0 else None


def _strong_edges(small: np.ndarray) -> np.ndarray:
    """Where the intensity edge is strong: the top quarter of the photo's, at least 40."""
    edges = _edge_strength(small)
    return edges > max(40.0, float(np.percentile(edges, 75)))


def _edge_strength(small: np.ndarray) -> np.ndarray:
    gray = cv2.GaussianBlur(cv2.cvtColor(small, cv2.COLOR_BGR2GRAY), (5, 5), 0)
    gx = cv2.Sobel(gray, cv2.CV_32F, 1, 0, ksize=3)
    gy = cv2.Sobel(gray, cv2.CV_32F, 0, 1, ksize=3)
    magnitude = cv2.magnitude(gx, gy)
    magnitude = cv2.dilate(magnitude, np.ones((5, 5), np.uint8))  # tolerate a 2 px miss
    return magnitude


def _candidates(small: np.ndarray, settings: LocateSettings
                ) -> list[tuple[np.ndarray, float]]:
    """(outline, how much of it the region it was fitted to fills)."""
    area = small.shape[0] * small.shape[1]
    found = []
    for mask in _masks(small):
        contours, _ = cv2.findContours(mask, cv2.RETR_LIST, cv2.CHAIN_APPROX_SIMPLE)
        for contour in sorted(contours, key=cv2.contourArea, reverse=True)[:5]:
            share = cv2.contourArea(cv2.convexHull(contour)) / area
            if settings.min_area <= share <= settings.max_area:
                quad = _four_sides(cv2.convexHull(contour).reshape(-1, 2).astype(np.float32))
                if quad is not None and _plausible(quad, area, settings):
                    fill = cv2.contourArea(contour) / max(cv2.contourArea(quad), 1.0)
                    found.append((quad, min(fill, 2.0 - fill)))
    return found


def _masks(small: np.ndarray) -> list[np.ndarray]:
    gray = cv2.GaussianBlur(cv2.cvtColor(small, cv2.COLOR_BGR2GRAY), (5, 5), 0)
    median = float(np.median(gray))
    edges = cv2.Canny(gray, int(max(10, 0.5 * median)), int(min(255, 1.2 * median + 20)))
    edges = cv2.dilate(edges, np.ones((3, 3), np.uint8), iterations=2)
    saturation = cv2.GaussianBlur(cv2.cvtColor(small, cv2.COLOR_BGR2HSV)[:, :, 1], (7, 7), 0)
    close = cv2.getStructuringElement(cv2.MORPH_RECT, (15, 15))
    masks = [edges]
    for channel in (gray, saturation):
        _, bright = cv2.threshold(channel, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
        for mask in (bright, 255 - bright):
            masks.append(cv2.morphologyEx(mask, cv2.MORPH_CLOSE, close))
    return masks + _texture_masks(gray)


def _texture_masks(gray: np.ndarray) -> list[np.ndarray]:
    """Where the fine texture differs from the surface's, measured at the photo's edge.

    Printed security patterns and text make a card busier than a plain desk;
    wood or fabric are busier than a card. Either way the document stands out.
    """
    energy = cv2.blur(np.abs(cv2.Laplacian(gray.astype(np.float32), cv2.CV_32F)), (9, 9))
    rim = max(4, int(0.04 * min(energy.shape)))
    border = np.concatenate([energy[:rim].ravel(), energy[-rim:].ravel(),
                             energy[:, :rim].ravel(), energy[:, -rim:].ravel()])
    middle = float(np.median(border))
    spread = float(np.median(np.abs(border - middle))) + 1e-3
    busier = ((energy > middle + 4 * spread) * 255).astype(np.uint8)
    calmer = ((energy < middle - 3 * spread) * 255).astype(np.uint8)
    close = cv2.getStructuringElement(cv2.MORPH_RECT, (25, 25))
    opening = cv2.getStructuringElement(cv2.MORPH_RECT, (9, 9))
    return [cv2.morphologyEx(cv2.morphologyEx(m, cv2.MORPH_CLOSE, close), cv2.MORPH_OPEN, opening)
            for m in (busier, calmer)]


def _four_sides(hull: np.ndarray) -> np.ndarray | None:
    """Four straight sides fitted to a convex outline; corners where they meet."""
    perimeter = cv2.arcLength(hull.reshape(-1, 1, 2), True)
    rough = None
    for epsilon in (0.02, 0.035, 0.05, 0.08):
        approx = cv2.approxPolyDP(hull.reshape(-1, 1, 2), epsilon * perimeter, True)
        if len(approx) == 4:
            rough = approx.reshape(4, 2).astype(np.float32)
            break
    if rough is None:
        rough = cv2.boxPoints(cv2.minAreaRect(hull)).astype(np.float32)
    return _refine(clockwise(rough), _densify(hull))


def _densify(hull: np.ndarray, step: float = 3.0) -> np.ndarray:
    """Points every `step` pixels along the closed outline, its corners included."""
    ends = np.roll(hull, -1, axis=0)
    counts = np.maximum(1, (np.linalg.norm(ends - hull, axis=1) / step).astype(int))
    side = np.repeat(np.arange(len(hull)), counts)
    first = np.repeat(np.cumsum(counts) - counts, counts)
    t = (np.arange(len(side)) - first) * np.repeat(1.0 / counts, counts)
    return (hull[side] + (ends - hull)[side] * t[:, None]).astype(np.float32)


def _refine(rough: np.ndarray, outline: np.ndarray) -> np.ndarray | None:
    """Fit a line to the outline points near each rough side; intersect neighbours."""
    lines = []
    for a, b in zip(rough, np.roll(rough, -1, axis=0)):
        side = b - a
        length = float(np.linalg.norm(side)) or 1.0
        t = (outline - a) @ side / length ** 2
        distance = np.abs(_cross(side, outline - a)) / length
        near = outline[(t > 0.15) & (t < 0.85) & (distance < 0.04 * length + 3)]
        if len(near) < 5:
            return None
        vx, vy, x0, y0 = cv2.fitLine(near, cv2.DIST_HUBER, 0, 0.01, 0.01).ravel()
        lines.append((np.array([x0, y0]), np.array([vx, vy])))
    corners = [_intersect(lines[i - 1], lines[i]) for i in range(4)]
    if any(c is None for c in corners):
        return None
    return np.array(corners, dtype=np.float32)


def _intersect(first, second) -> np.ndarray | None:
    (p, r), (q, s) = first, second
    denominator = float(_cross(r, s))
    if abs(denominator) < 1e-6:
        return None
    return p + r * float(_cross(q - p, s)) / denominator


def _cross(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """The z of the cross product of 2-D vectors (one or many in `b`)."""
    return a[..., 0] * b[..., 1] - a[..., 1] * b[..., 0]


def clockwise(points: np.ndarray) -> np.ndarray:
    """Four corners clockwise (in image coordinates) from the top-left one."""
    centre = points.mean(axis=0)
    angles = np.arctan2(points[:, 1] - centre[1], points[:, 0] - centre[0])
    ordered = points[np.argsort(angles)]
    start = int(np.argmin(ordered.sum(axis=1)))
    return np.roll(ordered, -start, axis=0)


def _plausible(quad: np.ndarray, area: float, settings: LocateSettings) -> bool:
    if not cv2.isContourConvex(quad.reshape(-1, 1, 2)):
        return False
    share = cv2.contourArea(quad) / area
    if not settings.min_area <= share <= settings.max_area + 0.01:
        return False
    for i in range(4):
        u, v = quad[i - 1] - quad[i], quad[(i + 1) % 4] - quad[i]
        cosine = float(u @ v) / (np.linalg.norm(u) * np.linalg.norm(v) + 1e-6)
        if abs(cosine) > 0.6:  # corners between about 53 and 127 degrees
            return False
    sides = [float(np.linalg.norm(quad[i] - quad[i - 1])) for i in range(4)]
    across, down = (sides[1] + sides[3]) / 2, (sides[0] + sides[2]) / 2
    aspect = max(across, down) / (min(across, down) + 1e-6)
    return settings.min_aspect <= aspect <= settings.max_aspect


def side_support(image_bgr: np.ndarray, quad: Quad, settings: LocateSettings = LocateSettings()
                 ) -> list[float]:
    """For each side (corner i to corner i + 1), the share of its points inside the photo
    that sit on a strong edge: how far the photo itself shows that side."""
    small, scale = _small(image_bgr, settings)
    on_edge, inside = _side_points(np.float32(quad) * scale, _strong_edges(small), 80)
    return [float(hits / count) if count else 0.0 for hits, count in zip(on_edge, inside)]


def _small(image_bgr: np.ndarray, settings: LocateSettings) -> tuple[np.ndarray, float]:
    """The photo at most `work_side` long, and the scale from the photo to it."""
    scale = min(1.0, settings.work_side / max(image_bgr.shape[:2]))
    if scale == 1.0:
        return image_bgr, scale
    return cv2.resize(image_bgr, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA), scale


def _support(quad: np.ndarray, strong: np.ndarray, samples: int = 60) -> float:
    """Share of points along the outline that sit on a strong intensity edge."""
    on_edge, _ = _side_points(quad, strong, samples)
    return float(on_edge.sum()) / (4 * samples)


def _side_points(quad: np.ndarray, strong: np.ndarray, samples: int
                 ) -> tuple[np.ndarray, np.ndarray]:
    """Per side (corner i to corner i + 1), of `samples` points along it: how many sit on
    a strong edge, and how many lie inside the picture."""
    t = np.linspace(0.05, 0.95, samples)[None, :, None]
    ends = np.roll(quad, -1, axis=0)
    points = quad[:, None, :] + t * (ends - quad)[:, None, :]
    x, y = np.trunc(points[..., 0]).astype(int), np.trunc(points[..., 1]).astype(int)
    height, width = strong.shape
    inside = (x >= 0) & (x < width) & (y >= 0) & (y < height)
    on_edge = np.zeros(inside.shape, bool)
    on_edge[inside] = strong[y[inside], x[inside]]
    return on_edge.sum(axis=1), inside.sum(axis=1)
