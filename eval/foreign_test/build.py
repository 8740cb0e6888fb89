"""The FROZEN foreign test set: six documents of other domains, one of them in English (a
court judgment, an environmental-impact notice, scholarship rules, a notice for foreign
residents, a product recall, a festival report), built from src/*.txt into two PDFs, two
DOCX and two web pages (eval/foreign_build.py). Documents and questions were written before
the system was run on them, like the `test2` split: never tune on it, report it.

    python -m eval.foreign_test.build [OUT]      (or `make eval-foreign`)

OUT (default eval/out/foreign_test) receives corpus/ and a config.yaml for it, so that
`rag eval --config OUT/config.yaml --dataset eval/foreign_test/questions.jsonl --split test`
scores it.
"""

from __future__ import annotations

import sys
from pathlib import Path

from eval.foreign_build import (
    CHAPTER,
    EN_SECTION,
    SECTION,
    Chrome,
    DocumentSet,
    Docx,
    Html,
    Pdf,
    target,
)

CHROME = Chrome(header_link='<a href="/wza">无障碍浏览</a>', crumb_prefix="当前位置：",
                footer="主办单位：{site} 地址：岚江市建设路56号 岚ICP备20230017号-2 网站标识码4307000021",
                badge="扫一扫 在手机上查看")

DOCUMENTS = [
    Pdf("买卖合同纠纷判决书", header="汀川县人民法院"),
    Pdf("垃圾焚烧发电二期环评公示", header="岚江绿源环保能源有限公司 环境影响评价信息公示",
        new_page_at=("三、", "五、")),
    Docx("本科生奖学金评定办法", CHAPTER),
    Docx("International_Residents_Notice", EN_SECTION),
    Html("电热水壶召回公告", "岚江市市场监督管理局",
         ("机构概况", "政务公开", "政策法规", "办事服务", "互动交流", "消费维权", "质量安全"),
         '<a href="/gk">政务公开</a> &gt; <a href="/gk/zh">消费品召回</a>',
         "发布日期：2024-07-05　信息来源：质量发展科　字号：[大 中 小]　打印本页",
         SECTION, "最新召回",
         ("关于岚江童乐玩具有限公司召回部分儿童滑板车的公告", "2024年第二季度产品质量监督抽查结果通告",
          "夏季电动自行车安全使用消费提示")),
    Html("茶文化旅游节新闻", "岚江新闻网", ("首页", "时政", "区县", "经济", "文旅", "图片", "视听"),
         '<a href="/qx">区县</a> &gt; <a href="/qx/tc">汀川</a>',
         "2024-04-13 08:05　来源：岚江日报　编辑：罗文静", None, "热点推荐",
         ("岚江机场三期扩建工程主体完工", "全市春季植树造林任务完成过半", "汀川至岚江城际公交开通运营")),
]

if __name__ == "__main__":
    sys.exit(DocumentSet(Path(__file__).parent, CHROME, target("foreign_test")).build(DOCUMENTS))
