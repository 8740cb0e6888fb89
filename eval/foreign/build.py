"""The foreign dev set: thirty-six documents of other domains, built from src/*.txt into
fourteen PDFs, eleven DOCX and eleven web pages (eval/foreign_build.py). The first batch: a
city's work report, a company's annual report, a regulation, meeting minutes, a news report, a
hospital notice. The second: a flood-control emergency notice, a tender announcement, an
administrative penalty decision, a chairman's speech, a school's enrolment notice, a smart
lock's user manual; some of them name a person, a date or a place of another document, and
two tell of two events of one kind (two rain storms, two tender lots), so that the question's
date or place has to pick the passage. The third batch is in English, with numbered section
headings ("4. Fees and Deposits"): a port authority's guide for warehouse tenants (DOCX) and a
city library's visitor rules (a web page), asked about in English and in Chinese. The fourth:
a group accident insurance policy's terms with its exclusions and a table of benefits (DOCX),
a railway bureau's timetable-change notice with a table of new trains (a web page), a water
company's notice of two planned supply cuts on two dates in two districts (a web page), a city
marathon's competition rules with a page break in the middle of a list (PDF), and a
university institute's annual newsletter in English (PDF, a running header and page numbers)
with two field campaigns and two public lectures, so the date or place picks the passage.
The fifth: a bus company's notice of two route changes on two dates with a table of a new
line's stops (a web page), a community health centre's questions and answers on check-ups and
flu vaccines with two outreach sessions on two dates and places (DOCX), a workplace accident
investigation report with a timeline and an earlier accident of the same firm (PDF), a scenic
area's visitor guide with a price table of two cable cars (PDF), and a battery maker's press
release in English with two events in two places (DOCX). The sixth: a city's notice of a
2025 trade-in subsidy with a table of amounts by product and two application windows (a web
page), an e-bike maker's battery recall notice with batch numbers, a hotline and deadlines
(DOCX), a university's laboratory safety rules in chapters and articles with a numbered list of
duties and penalties (PDF), and an English information sheet for participants in a clinical
trial with a table of visits and one of payments (PDF). The seventh: a district court's civil
judgment in a shop lease dispute with the claims, the findings, the amounts awarded and an earlier
case between the same parties settled by mediation (PDF), a software company's employee handbook
extract in English on leave, expenses and remote work, whose numbers (days, amounts) recur in
more than one section (DOCX), a residential estate's notice of new property fees with a table by
building type and two repair works on two dates in two buildings (a web page), and a market
regulator's bulletin of failed food samples with a table of producers, products, batch dates and
failed items, two of them one producer's water of two dates (PDF). The eighth: a hospital's
discharge summary with the patient's fields at the top, a numbered list of medicines with doses
and times and a table of follow-up visits, whose lines of digits and units (mg, ml, 次/日) wrap
unevenly (PDF), a residential tenancy agreement in English with numbered clauses and sub-clauses
("4.2 The Tenant shall…"), amounts in CNY and a schedule of inventory at the end (PDF), a city's
notice on garbage sorting with a list of three levels (一、（一）1.), a table of bin colours and
collection times for two districts (a web page), and a company's minutes of a quarterly review
with an attendees line, numbered decisions with owners and deadlines and a "抄送：" line (DOCX).

    python -m eval.foreign.build [OUT]      (or `make eval-foreign`, which also scores it)

OUT (default eval/out/foreign) receives corpus/ and a config.yaml for it, so that
`rag eval --config OUT/config.yaml --dataset eval/foreign/questions.jsonl --split dev`
scores the questions on documents the project was not built around.
"""

from __future__ import annotations

import re
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

# A press release's subheadings: no numbers, so named.
PR_HEADING = re.compile(r"^(Highlights|The Lingang Plant|The Nordvik Agreement|Key Figures for "
                        r"the First Half of 2024|About Lanxin Power|About Nordvik Marine|"
                        r"Media Contact)$")

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
    Pdf("防汛紧急通知", header="江宁市防汛抗旱指挥部"),
    Pdf("沙溪河治理招标公告", header="江宁市公共资源交易中心　招标公告",
        new_page_at=("四、", "七、")),
    Docx("市场监管行政处罚决定书", SECTION),
    Docx("港务集团董事长讲话", SECTION),
    Html("滨江实验中学招生简章", "江宁市滨江实验中学",
         ("学校概况", "教育教学", "德育天地", "招生专栏", "校园新闻", "教师发展", "联系我们"),
         '<a href="/zs">招生专栏</a>', "发布日期：2024-05-20　作者：招生办公室　阅读：12873",
         SECTION, "招生专栏",
         ("2023年高中招生录取结果公示", "2024年科技创新实验班学科素养测试须知",
          "我校学子在全国青少年机器人竞赛中获一等奖")),
    Html("智能门锁使用说明", "衡安智能服务与支持",
         ("产品中心", "使用说明", "视频教程", "常见问题", "售后网点", "固件升级", "联系我们"),
         '<a href="/manual">使用说明</a> &gt; <a href="/manual/x7">HA-X7系列</a>',
         "更新时间：2024-03-15　文档版本：V2.1　适用型号：HA-X7 / HA-X7 Pro", SECTION, "相关文档",
         ("HA-X7安装尺寸图与开孔说明", "衡安App绑定门锁操作指南", "HA-S3指纹锁使用说明")),
    Docx("Port_Authority_Tenant_Guide", EN_SECTION),
    Html("City_Library_Visitor_Rules", "Jiangning City Library",
         ("About Us", "Catalogue", "My Account", "Visit", "Events", "Digital Library", "Contact"),
         '<a href="/visit">Visit</a> &gt; <a href="/visit/rules">Rules and Policies</a>',
         "Published: 2024-02-20　Updated: 2024-03-01　Source: Reader Services Department",
         EN_SECTION, "Related",
         ("Holiday opening hours for the Spring Festival 2024", "How to use the self-service machines",
          "Weekend events for children: March programme")),
    Docx("团体意外伤害保险条款", SECTION),
    Html("铁路调图公告", "中国铁路江宁局集团有限公司",
         ("首页", "客运服务", "货运服务", "公告公示", "新闻中心", "党建工作", "联系我们"),
         '<a href="/gg">公告公示</a> &gt; <a href="/gg/ky">客运公告</a>',
         "发布时间：2024-06-25 16:00　来源：客运部　字号：大 中 小", SECTION, "最新公告",
         ("关于2024年端午节假期旅客运输组织的公告", "江宁东站进站口改造期间乘车提示",
          "铁路12306候补购票功能使用说明")),
    Html("管网改造停水通知", "江宁水务集团有限公司",
         ("集团概况", "水务资讯", "停水公告", "水质公示", "营业服务", "水价标准", "在线报修"),
         '<a href="/tsgg">停水公告</a>', "发布日期：2024-07-02　信息来源：供水服务中心　点击数：9412",
         SECTION, "停水公告",
         ("关于城西水厂设备检修期间降压供水的通知", "2024年第二季度水质检测结果公示",
          "关于开展居民用水户水表免费更换工作的公告")),
    Pdf("江宁马拉松竞赛规程", header="2024江宁马拉松组委会　竞赛规程",
        new_page_at=("3. 迷你跑", "七、", "十、")),
    Pdf("Coastal_Ecology_Institute_Newsletter",
        header="Institute of Coastal Ecology - Annual Newsletter 2023"),
    Html("公交线路调整公告", "江宁公交集团有限公司",
         ("集团概况", "出行服务", "线路查询", "公告通知", "党建工作", "招聘信息", "联系我们"),
         '<a href="/gg">公告通知</a> &gt; <a href="/gg/xl">线路调整</a>',
         "发布时间：2024-07-25 10:00　来源：运营管理部　浏览次数：21468", SECTION, "公告通知",
         ("关于江宁交通卡年审业务调整的公告", "2024年暑期夜间公交运营安排",
          "关于征集公交线网优化意见和建议的公告")),
    Docx("老年人体检和流感疫苗接种问答", SECTION),
    Pdf("叉车伤害事故调查报告", header="江宁经济开发区应急管理局　事故调查报告"),
    Pdf("青螺山风景区游览指南", header="江宁青螺山风景区管理处", new_page_at=("三、", "五、")),
    Docx("Lanxin_Power_Press_Release", PR_HEADING),
    Html("以旧换新补贴通知", "江宁市商务局",
         ("机构概况", "政务公开", "通知公告", "政策文件", "促进消费", "对外开放", "互动交流"),
         '<a href="/tzgg">通知公告</a>', "发布时间：2025-03-03 15:00　来源：消费促进处　浏览次数：48215",
         SECTION, "通知公告",
         ("2025年以旧换新参与商户名单（第一批）", "关于开展“春季消费季”系列活动的通知",
          "以旧换新补贴资格券领取操作指引")),
    Docx("电动自行车电池召回公告", SECTION),
    Pdf("实验室安全管理规定", header="江宁大学规章制度汇编", new_page_at=("第五章",)),
    Pdf("Knee_Gel_Trial_Participant_Information",
        header="KNEE-EASE Study - Participant Information Sheet - Version 2.0"),
    Pdf("商铺租赁合同纠纷民事判决书", header="江宁市西城区人民法院　（2024）江0103民初6258号",
        new_page_at=("本院认为",)),
    Docx("Harbourline_Employee_Handbook_Extract", EN_SECTION),
    Html("翠湖苑物业费调整及维修施工通知", "江宁锦绣物业服务有限公司",
         ("公司简介", "服务项目", "在管小区", "通知公告", "业主服务", "收费公示", "联系我们"),
         '<a href="/tzgg">通知公告</a> &gt; <a href="/tzgg/chy">翠湖苑</a>',
         "发布时间：2025-03-28 09:30　来源：翠湖苑物业服务中心　浏览次数：2316", SECTION, "小区公告",
         ("翠湖苑2024年度物业服务费收支情况公示", "关于开展2025年春季消杀工作的温馨提示",
          "翠湖苑电动自行车集中充电棚启用通知")),
    Pdf("食品安全监督抽检信息通告", header="江宁市市场监督管理局　食品安全抽检信息"),
    Pdf("心内科出院小结", header="江宁市第二人民医院　出院小结　住院号：2025031876"),
    Pdf("Binjiang_Garden_Tenancy_Agreement",
        header="Residential Tenancy Agreement BJG-2025-0417 - Flat 1203, Binjiang Garden"),
    Html("生活垃圾分类投放通告", "江宁市城市管理局",
         ("机构概况", "政务公开", "通知公告", "垃圾分类", "市容管理", "办事服务", "互动交流"),
         '<a href="/tzgg">通知公告</a> &gt; <a href="/ljfl">垃圾分类</a>',
         "发布时间：2025-06-05 16:30　来源：环境卫生管理处　浏览次数：35207", SECTION, "垃圾分类",
         ("垃圾分类常见问题解答（居民版）", "2025年第一季度生活垃圾分类工作考评结果通报",
          "江宁市可回收物回收网点名单")),
    Docx("云帆科技经营分析会会议纪要", SECTION),
]

if __name__ == "__main__":
    sys.exit(DocumentSet(Path(__file__).parent, CHROME, target("foreign"), tables=True)
             .build(DOCUMENTS))
