"""The foreign dev set: six documents of other domains (a city's work report, a company's
annual report, a regulation, meeting minutes, a news report, a hospital notice), built from
src/*.txt into two PDFs, two DOCX and two web pages (eval/foreign_build.py).

    python -m eval.foreign.build [OUT]      (or `make eval-foreign`, which also scores it)

OUT (default eval/out/foreign) receives corpus/ and a config.yaml for it, so that
`rag eval --config OUT/config.yaml --dataset eval/foreign/questions.jsonl --split dev`
scores the questions on documents the project was not built around.
"""

from __future__ import annotations

import sys
from pathlib import Path

from eval.foreign_build import CHAPTER, SECTION, Chrome, DocumentSet, Docx, Html, Pdf, target

CHROME = Chrome(header_link='<a href="/en">English</a>', crumb_prefix="",
                footer="版权所有 © {site} 地址：江宁市人民路1号 江ICP备20240001号-1 网站标识码3205000017",
                badge="扫码关注官方微信")

DOCUMENTS = [
    Pdf("政府工作报告", header="江宁市人民政府公报"),
    Pdf("东衡智装年报摘要", header="东衡智能装备股份有限公司2023年年度报告摘要",
        new_page_at=("第三节", "第五节")),
    Docx("公共数据管理条例", CHAPTER),
    Docx("营商环境会议纪要", SECTION),
    Html("门诊服务公告", "江宁市第一人民医院",
         ("医院概况", "就医指南", "科室导航", "专家介绍", "新闻中心", "院务公开", "互联网医院"),
         '<a href="/notice">通知公告</a>', "发布时间：2024-02-26　来源：医务部　浏览次数：3586",
         SECTION, "相关阅读",
         ("关于2024年春节期间门诊安排的通知", "我院获评省级改善就医感受示范医院",
          "2024年护理岗位招聘公告")),
    Html("长湾河廊道新闻", "江宁新闻网", ("要闻", "本地", "民生", "财经", "文旅", "视频", "专题"),
         '<a href="/local">本地新闻</a>', "2024-06-19 07:30　来源：江宁日报　责任编辑：许航",
         None, "相关阅读",
         ("江宁港上半年集装箱吞吐量创新高", "暑期文旅消费季启动 发放文旅消费券",
          "市区新增12条公交线路")),
]

if __name__ == "__main__":
    sys.exit(DocumentSet(Path(__file__).parent, CHROME, target("foreign")).build(DOCUMENTS))
