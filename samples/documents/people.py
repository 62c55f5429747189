"""Names, ethnicities (民族) and street addresses of made-up people and firms.

Names follow how they are written on real cards: most are a one-character surname
with a one- or two-character given name; some carry a compound surname (欧阳);
Uyghur and Kazakh names are transliterated as `given·father` (买买提·吐尔逊);
Tibetan and Mongolian names have no surname at all.
"""
from __future__ import annotations

import random

from samples.documents.regions import Region

# The 56 民族, as printed on the card (without 族).
ETHNICITIES = (
    "汉", "蒙古", "回", "藏", "维吾尔", "苗", "彝", "壮", "布依", "朝鲜", "满", "侗", "瑶", "白",
    "土家", "哈尼", "哈萨克", "傣", "黎", "傈僳", "佤", "畲", "高山", "拉祜", "水", "东乡",
    "纳西", "景颇", "柯尔克孜", "土", "达斡尔", "仫佬", "羌", "布朗", "撒拉", "毛南", "仡佬",
    "锡伯", "阿昌", "普米", "塔吉克", "怒", "乌孜别克", "俄罗斯", "鄂温克", "德昂", "保安",
    "裕固", "京", "塔塔尔", "独龙", "鄂伦春", "赫哲", "门巴", "珞巴", "基诺",
)
# Where a minority mostly lives, for a coherent birth place (province codes).
HOMELANDS = {
    "维吾尔": ("65",), "哈萨克": ("65",), "柯尔克孜": ("65",), "塔吉克": ("65",),
    "乌孜别克": ("65",), "塔塔尔": ("65",), "藏": ("54", "63", "51"), "蒙古": ("15", "21"),
    "壮": ("45",), "回": ("64", "62"), "朝鲜": ("22",), "彝": ("51", "53"), "苗": ("52", "43"),
    "土家": ("43", "42"), "满": ("21", "13"), "黎": ("46",), "傣": ("53",), "白": ("53",),
}
SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶"
    "程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾"
    "毛郝龚邵万钱严覃武戴莫孔向汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关"
)
COMPOUND_SURNAMES = ("欧阳", "司马", "诸葛", "上官", "慕容", "东方", "皇甫", "令狐", "司徒", "夏侯")
GIVEN = {
    "男": "伟强磊军洋勇杰涛明超刚平辉鹏华飞鑫波斌宇浩凯健俊帆帅旭宁龙林建国志文博晨阳海峰"
          "亮成东新世振荣德瑞坤泽轩睿哲航铭源宏彬骏毅锋",
    "女": "芳娜敏静丽艳娟霞秀玲桂英燕萍红梅琳雪慧颖倩婷晶月莉兰凤洁琴云丹璐怡欣悦佳萱涵瑶"
          "蕾薇妍蓉珊菲彤梦琪曼岚露婉",
}
_UYGHUR = {
    "男": ("买买提", "艾力", "阿不都", "吐尔逊", "艾尔肯", "阿迪力", "热合曼", "麦麦提", "伊力哈木",
           "亚森", "依明", "努尔兰", "叶尔兰", "别克"),
    "女": ("阿依古丽", "古丽娜尔", "热依拉", "帕提古丽", "迪丽娜尔", "米热古丽", "努尔古丽",
           "再娜甫", "阿依努尔", "阿依达娜"),
}
_FATHERS = ("吐尔逊", "艾买提", "阿不都热依木", "买买提明", "艾则孜", "热合曼", "司马义",
            "吾斯曼", "玉素甫", "哈力别克", "叶尔江", "努尔达吾列提")
_TIBETAN_FIRST = ("扎西", "次仁", "格桑", "索朗", "达瓦", "平措", "尼玛", "益西")
_TIBETAN_SECOND = {"男": ("多吉", "顿珠", "旺堆", "罗布", "加措"),
                   "女": ("卓玛", "央金", "拉姆", "德吉", "白玛", "曲珍")}
_MONGOLIAN = {"男": ("巴特尔", "额尔敦", "苏和", "朝鲁", "宝音", "敖日格勒", "那日苏"),
              "女": ("乌云其其格", "斯琴高娃", "其木格", "图雅", "萨仁", "娜仁花")}
_ADDRESS_MAX = 32  # characters: three lines of a card's 住址
_ROADS = ("文三路", "人民路", "解放路", "中山路", "建设路", "和平路", "长江路", "黄河路", "新华路",
          "胜利路", "朝阳路", "光明街", "青年路", "滨江大道", "学院路", "东风路", "幸福街", "复兴路",
          "北京路", "迎宾大道", "工业大道", "科技路", "创业路", "兴业街", "南湖路", "金桥路")
_COMPOUNDS = ("阳光花园", "锦绣家园", "翠苑", "东方名城", "世纪新城", "金色家园", "和谐小区",
              "紫荆苑", "碧水湾", "时代广场")
_TOWNS = ("城关", "新塘", "黄兴", "石门", "白沙", "清水", "龙泉", "太平", "永安", "安平", "双河",
          "马头", "青山", "高桥", "柳林")
_VILLAGES = ("大坪", "石塘", "王家", "李庄", "新民", "红星", "东升", "河口", "杨柳", "前进",
             "团结", "五里", "下湾")
_PARKS = ("软件园", "科技园", "创业园", "产业园", "智慧谷", "数字港")


def random_ethnicity(rng: random.Random) -> str:
    """Mostly 汉 (about nine in ten, as in the population), else any of the other 55."""
    return "汉" if rng.random() < 0.88 else rng.choice(ETHNICITIES[1:])


def random_name(rng: random.Random, sex: str, ethnicity: str = "汉") -> str:
    """A name of 2-4 characters, or a transliterated minority name."""
    if ethnicity in ("维吾尔", "哈萨克", "柯尔克孜", "塔吉克", "乌孜别克", "塔塔尔"):
        return f"{rng.choice(_UYGHUR[sex])}·{rng.choice(_FATHERS)}"
    if ethnicity == "藏":
        return rng.choice(_TIBETAN_FIRST) + rng.choice(_TIBETAN_SECOND[sex])
    if ethnicity == "蒙古" and rng.random() < 0.6:
        return rng.choice(_MONGOLIAN[sex])
    return _surname(rng) + _given(rng, sex)


def _surname(rng: random.Random) -> str:
    return rng.choice(COMPOUND_SURNAMES) if rng.random() < 0.04 else rng.choice(SURNAMES)


def _given(rng: random.Random, sex: str) -> str:
    pool = GIVEN[sex] if rng.random() < 0.85 else GIVEN["男"] + GIVEN["女"]
    length = rng.choices((1, 2, 3), weights=(22, 75, 3))[0]
    return "".join(rng.choice(pool) for _ in range(length))


def residence_address(rng: random.Random, region: Region) -> str:
    """住址 as printed on an ID card: a street address in town, or 镇/村/组 in the country;
    short enough for the card's three lines where the region's name allows."""
    rural = region.county.endswith("县") and rng.random() < 0.7
    for _ in range(6):
        detail = _village(rng) if rural else _street(rng, rooms=rng.random() < 0.75)
        if len(region.prefix) + len(detail) <= _ADDRESS_MAX:
            break
    return region.prefix + detail


def business_address(rng: random.Random, region: Region) -> str:
    """住所 of a company: street and number down to the room (详细到门牌号)."""
    if rng.random() < 0.3:
        park = f"{rng.choice(_ROADS)}{rng.randint(1, 999)}号{rng.choice(_PARKS)}"
        return f"{region.prefix}{park}{rng.randint(1, 12)}号楼{_room(rng)}室"
    return region.prefix + _street(rng, rooms=True)


def _street(rng: random.Random, rooms: bool) -> str:
    base = f"{rng.choice(_ROADS)}{rng.randint(1, 999)}号"
    if not rooms:
        return base
    style = rng.randrange(3)
    if style == 0:
        return f"{base}{rng.randint(1, 30)}幢{_room(rng)}室"
    if style == 1:
        building = f"{rng.randint(1, 40)}栋{rng.randint(1, 4)}单元"
        return f"{base}{rng.choice(_COMPOUNDS)}{building}{_room(rng)}"
    return f"{base}{_room(rng)}室"


def _village(rng: random.Random) -> str:
    town = rng.choice(_TOWNS) + rng.choice(("镇", "乡"))
    village = rng.choice(_VILLAGES) + "村"
    if rng.random() < 0.5:
        return f"{town}{village}{rng.randint(1, 15)}组{rng.randint(1, 120)}号"
    return f"{town}{village}{rng.randint(1, 300)}号"


def _room(rng: random.Random) -> str:
    return f"{rng.randint(1, 28)}{rng.randint(1, 12):02d}"
