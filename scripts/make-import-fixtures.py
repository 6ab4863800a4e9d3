#!/usr/bin/env python3
"""Writes the fixtures of `rolebook import` (tests/fixtures/import/) with python-docx.

    pip install python-docx && python3 scripts/make-import-fixtures.py

* seed-cs.docx: the seed document's three forms (../shared/seed/, defects included) as
  the classic 职务说明书 table: a title row merged across, 职责一 merged down over
  职责表述/工作任务/考核重点, 任职资格 and 其它 merged down over their rows, numbered tasks
  one paragraph each ("1、" "(1)" "①").
* sales.docx: two forms of another department with other label variants (职位名称,
  所属部门, 汇报对象, 岗位目的, duties as 职责 | 工作内容 | 考核标准 columns, 学历, 工作经验,
  权限, a label the dictionary does not know), a tracked insertion and deletion, a
  hyperlink, a field, gridBefore, a nested table, and a table of KPIs with weights.
* cs-copy.docx: one of the seed's forms again (the same form in two files).
* pasted.txt / pasted-gbk.txt: a form pasted out of Word as text, UTF-8 and GBK.
* legacy.doc: an OLE container standing for an old .doc (a test converts it with a stand-in
  soffice, to check the plumbing: profile folder, --outdir, the result read back).
* With LibreOffice installed (soffice on the PATH), files LibreOffice itself writes, through
  .odt so that it really writes them (not a copy of python-docx's XML): seed-cs-lo.docx and
  sales-lo.docx ("MS Word 2007 XML"), and sales-lo.doc ("MS Word 97", a real old .doc). Their
  texts.json are those of the python-docx source, except the PAGE field of sales, whose result
  LibreOffice computes again (the page the 备注 is on): it is read back from what LibreOffice
  wrote. Without soffice these are left as they are, and the script says so.
* bad inputs: not-a-zip.docx, encrypted.docx (an OLE container), bomb.docx (document.xml
  inflates to 40 MB), empty.txt, no-form.txt, no-title.docx.

Each .docx gets NAME.texts.json: every value text written into it, which the tests look for
in the imported files.
"""

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile

from docx import Document
from docx.enum.text import WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

OUT = os.path.join(os.path.dirname(__file__), "..", "tests", "fixtures", "import")

CS = [
    {
        "title": "客服部经理", "dept": "客服部", "superior": "营销总监", "subs": "客服部主管",
        "staff": "客服部专员",
        "purpose": "负责组织公司客户备案及合同管理,客户关系维护及相关客户管理",
        "duties": [
            ("客户服务制度建设", ["根据本行业客户特点及企业的实际情况,组织建立并完善客户服务管理制度",
                          "客户服务管理制度经审批后,客户服务部组织贯彻实施",
                          "根据客户服务工作的实际情况,对客户服务管理制度进行修订、完善"],
             "客户服务管理制度的完善与有效执行程度"),
            ("招投标管理", ["根据项目工程的规划方案,组织拟订招投标文件",
                       "对竞标的施工队伍、设计单位等的资质、信誉进行严格审查,以确定标的"],
             "中标单位的合同履约情况"),
            ("孤儿客户转接", ["制定孤儿客户维护计划及方案", "监督维护离职业务员手头持有客户",
                        "监督保证在无合适业务员接手的时间内客户的正常沟通及服务工作"], "客户维护度"),
            ("客户信息保密", ["监督业务员报备未成交的客户信息绝对保密", "监督招标文件及所有相关信息做到绝对保密"],
             "客户信息保密"),
            ("部门内部管理", ["合理调配部门员工,定期进行员工相关业务培训,对员工工作进行考核",
                        "控制、审核部门的预算和费用情况",
                        "负责本部门各项工作的安排、协调,与销售部等相关部门进行沟通协调"],
             "部门各项工作计划的及时完成程度及预算控制程度"),
            ("完成营销总监交付的其它任务", [], ""),
        ],
        "authorities": ["项目可行性研究建议的决定权", "投标决策建议权", "各种合同的审核权",
                        "有对直接下级人员调配、奖惩的建议权和任免的提名权,考核评价权",
                        "对所属下级的工作有监督、检查权", "对所属下级的工作争议有裁决权", "权限内的财务审批权"],
        "internal": "营销总监、公司各部门", "external": "项目中介、外部专家、合作伙伴、国内外相关政府部门等",
        "education": "大学本科以上", "majors": "机电、管理专业",
        "training": "项目管理培训,项目投融资管理培训,项目招投标培训,谈判技巧培训",
        "experience": "5年以上相关工作经验,2年以上相关管理经历",
        "knowledge": "通晓项目投融资管理,掌握项目管理知识,具有机电和工程知识,了解相关法律,熟练运用英语",
        "skills": "熟练使用自动化办公软件,具备基本的网络知识",
        "traits": "具有较强的领导能力、判断与决策能力、人际能力、沟通能力、影响力、计划与执行能力、谈判能力",
        "tools": "计算机、一般办公设备(电话、传真机、打印机、Internet/Intranet网络)",
        "environment": "办公场所,经常需要出差", "hours": "正常工作时间,根据需要加班",
        "records": "通知、简报、汇报文件或报告、总结等",
        "kpis": "中标额、合同金额、销售收入、利润率、合同收款额、应收帐款坏账率及延误天数、客户满意度、重要任务完成情况、"
                "费用控制情况、下属行为管理、关键人员流失率、制度建设完善性、部门合作满意度、领导能力、判断与决策能力、"
                "人际能力、沟通能力、影响力、计划与执行能力、专业知识及技能",
    },
    {
        "title": "客服部主管", "dept": "客服部", "superior": "客服部经理", "subs": "客服专员", "staff": "",
        "purpose": "负责项目信息收集、投标可行性分析,组织并参与标书准备、合作伙伴的选择、投标后项目合同和分包合同的签订,协助项目实施和项目售后服务",
        "duties": [
            ("协助成套部经理制定部门发展规划和年度工作计划", ["协助成套部经理制定部门发展规划和年度工作计划"], ""),
            ("负责成套项目市场信息收集和初步可行性分析", ["负责建立成套项目代理网络和成套市场信息收集系统",
                                         "收集并对信息进行筛选和整理,对合适的项目进行初步的可行性分析",
                                         "向成套部经理提供市场信息和分析报告"], ""),
            ("组织并参与标书准备、合作伙伴的选择、投标后项目合同和分包合同的签订",
             ["购买标书并与招标单位保持紧密联系", "参与项目投标小组,联系并选择合作伙伴和供应商、准备标书和递交标书",
              "参与中标后项目合同、分包合同和合作协议的签订"], ""),
            ("协助项目实施和项目售后服务", ["协助项目实施,提供项目实施支援", "与招标单位保持联系,并协助项目售后服务"], ""),
            ("成套部经理交办的其他工作", [], ""),
        ],
        "authorities": ["选择项目投标代理、合作伙伴、供应厂商的建议权", "参与初步筛选投标信息的权力"],
        "internal": "供应部、技术品管部、财务部、成套部经理", "external": "项目投标代理、合作伙伴、分包商、招标单位、相关政府机构等",
        "education": "大学专科以上", "majors": "经济管理、给排水或机电类专业",
        "training": "项目管理培训、项目招投标培训、谈判技巧培训", "experience": "2年以上相关工作经验",
        "knowledge": "掌握项目招投标技巧、具有项目筹划能力、了解相关技术和国内外项目招投标相关法律、熟练运用英语",
        "skills": "熟练使用自动化办公软件,具备基本的网络知识",
        "traits": "具有一定的判断与决策能力、人际能力、沟通能力、计划与执行能力、谈判能力",
        "tools": "计算机,一般办公设备(电话、打印机、Internet/Intranet网络、文件柜)",
        "environment": "办公室,偶尔需要出差", "hours": "正常工作时间,偶尔需要加班",
        "records": "成套项目市场信息汇总、项目可行性分析报告等",
        "kpis": "中标额、合同金额、销售收入、利润率、合同收款额、重要任务完成情况、考勤、服从安排、遵守制度、判断与决策能力、"
                "人际能力、沟通能力、计划与执行能力、谈判能力、专业知识技能",
    },
    {
        "title": "客服专员", "dept": "客服部", "superior": "客服部主管", "subs": "无", "staff": "无",
        "purpose": "负责客户投诉的接收和组织解决",
        "duties": [
            ("客户信息备案", ["对业务员报备的准客户信息做详细备案", "编制客户信息报告,对客户信息进行分析,防止业务员撞单",
                        "成交客户信息统计并归档"], "信息完整度和领导满意度"),
            ("招投标管理", ["根据项目工程的规划方案,组织拟订招投标文件",
                       "对竞标的施工队伍、设计单位等的资质、信誉进行严格审查,以确定标的"], "中标单位的合同履约情况"),
            ("孤儿客户转接", ["维护离职业务员手头持有客户", "保证在无合适业务员接手的时间内客户的正常沟通及服务工作"], "客户维护度"),
            ("其他相关职责", ["客户服务相关资料、文件的归档管理", "完成领导交办的其他工作"], "档案完整、无缺失"),
            ("客户信息保密", ["业务员报备未成交的客户信息绝对保密", "招标文件及所有相关信息做到绝对保密"], "信息保密度"),
            ("完成客服部主管交办的其他工作任务", [], ""),
        ],
        "authorities": ["收集市场相关信息、资料、文件的权力", "客户投诉处理方案的提议权"],
        "internal": "业务部、工程部、预算部、财务部、行政部等", "external": "客户、经销商",
        "education": "大学专科以上", "majors": "管理或其他相关专业", "training": "客户服务、法律知识、公共关系培训",
        "experience": "3年以上工作经验,1年以上本行业供应管理或售后服务经历",
        "knowledge": "掌握营销和销售管理相关知识,了解行业技术、财务管理、法律等知识",
        "skills": "熟练使用自动化办公软件,具备基本的网络知识",
        "traits": "具有一定的判断与决策能力、人际能力、沟通能力、计划与执行能力、客户服务能力",
        "tools": "计算机、一般办公设备(电话、传真机、打印机、Internet/Intranet网络)", "environment": "办公场所",
        "hours": "正常工作时间,偶而需要加班", "records": "通知、简报、汇报文件或报告、总结等",
        "kpis": "资料整理规范性、投诉处理时效、客户满意度、客户索赔金额下降程度、重要任务完成情况、考勤、服从安排、遵守制度、"
                "判断与决策能力、人际能力、沟通能力、计划与执行能力、客户服务能力、专业知识及技能",
    },
]

NUMBERS = [lambda i: f"{i}、", lambda i: f"({i})", lambda i: chr(0x2460 + i - 1)]


def set_cell(cell, paras):
    """Writes paragraphs into a cell (the first replaces the empty paragraph)."""
    if isinstance(paras, str):
        paras = [paras]
    cell.paragraphs[0].text = paras[0] if paras else ""
    for p in paras[1:]:
        cell.add_paragraph(p)


def vmerge(table, col, top, bottom, text):
    cell = table.cell(top, col).merge(table.cell(bottom, col))
    set_cell(cell, text)


def cs_form(doc, f, texts, numbering):
    doc.add_paragraph(f"{f['title']}职务说明书")
    rows = [("岗位名称", f["title"], "岗位编号", ""), ("所在部门", f["dept"], "岗位定员", ""),
            ("直接上级", f["superior"], "工资等级", ""), ("直接下级", f["subs"], "薪酬类型", ""),
            ("所辖人员", f["staff"], "岗位分析日期", "")]
    n_duty_rows = 3 * len(f["duties"])
    total = 1 + len(rows) + 1 + 1 + n_duty_rows + 1 + 2 + 7 + 4 + 1 + 1
    t = doc.add_table(rows=total, cols=4)
    t.style = "Table Grid"
    r = 0
    title = t.cell(0, 0).merge(t.cell(0, 3))
    set_cell(title, f"{f['title']}职务说明书")
    r += 1
    for a, b, c, d in rows:
        for i, v in enumerate((a, b, c, d)):
            set_cell(t.cell(r, i), v)
        texts += [b, d]
        r += 1
    set_cell(t.cell(r, 0), "本职")
    set_cell(t.cell(r, 1).merge(t.cell(r, 3)), f["purpose"])
    texts.append(f["purpose"])
    r += 1
    set_cell(t.cell(r, 0).merge(t.cell(r, 3)), "职责与工作任务")
    r += 1
    for i, (duty, tasks, assess) in enumerate(f["duties"], 1):
        vmerge(t, 0, r, r + 2, "职责" + "一二三四五六七八九十"[i - 1])
        for k, (label, value) in enumerate((("职责表述", [duty]), ("工作任务", [NUMBERS[numbering](j) + x for j, x in enumerate(tasks, 1)]), ("考核重点", [assess]))):
            set_cell(t.cell(r + k, 1), label)
            set_cell(t.cell(r + k, 2).merge(t.cell(r + k, 3)), value or [""])
        texts += [duty, assess] + tasks
        r += 3
    set_cell(t.cell(r, 0), "权力")
    set_cell(t.cell(r, 1).merge(t.cell(r, 3)), f["authorities"])
    texts += f["authorities"]
    r += 1
    vmerge(t, 0, r, r + 1, "工作协作关系")
    for k, (label, key) in enumerate((("内部协调关系", "internal"), ("外部协调关系", "external"))):
        set_cell(t.cell(r + k, 1), label)
        set_cell(t.cell(r + k, 2).merge(t.cell(r + k, 3)), f[key])
        texts.append(f[key])
    r += 2
    quals = [("教育水平", "education"), ("专业", "majors"), ("培训经历", "training"), ("经验", "experience"),
             ("知识", "knowledge"), ("技能技巧", "skills"), ("个人素质", "traits")]
    vmerge(t, 0, r, r + 6, "任职资格")
    for k, (label, key) in enumerate(quals):
        set_cell(t.cell(r + k, 1), label)
        set_cell(t.cell(r + k, 2).merge(t.cell(r + k, 3)), f[key])
        texts.append(f[key])
    r += 7
    conds = [("使用工具/设备", "tools"), ("工作环境", "environment"), ("工作时间特征", "hours"), ("所需记录文档", "records")]
    vmerge(t, 0, r, r + 3, "其它")
    for k, (label, key) in enumerate(conds):
        set_cell(t.cell(r + k, 1), label)
        set_cell(t.cell(r + k, 2).merge(t.cell(r + k, 3)), f[key])
        texts.append(f[key])
    r += 4
    set_cell(t.cell(r, 0), "考核指标")
    set_cell(t.cell(r, 1).merge(t.cell(r, 3)), f["kpis"])
    texts.append(f["kpis"])
    r += 1
    set_cell(t.cell(r, 0), "备注")
    t.cell(r, 1).merge(t.cell(r, 3))
    doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)


def save(doc, name, texts):
    doc.save(os.path.join(OUT, name))
    save_texts(name, texts)


def save_texts(name, texts):
    with open(os.path.join(OUT, name + ".texts.json"), "w", encoding="utf-8") as fh:
        json.dump([t for t in texts if t], fh, ensure_ascii=False, indent=0)
        fh.write("\n")


def soffice(profile, fmt, outdir, *inputs):
    """One headless LibreOffice conversion, with its own profile folder and a time limit."""
    subprocess.run(["soffice", "-env:UserInstallation=file://" + profile, "--headless", "--norestore",
                    "--convert-to", fmt, "--outdir", outdir, *inputs],
                   check=True, timeout=300, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def field_results(docx):
    """The results of the PAGE fields of a .docx, in order, as the writer left them."""
    with zipfile.ZipFile(docx) as z:
        xml = z.read("word/document.xml").decode("utf-8")
    return re.findall(r'fldCharType="separate"\s*/?>(?:</w:fldChar>)?</w:r>.*?<w:t(?:\s[^>]*)?>([^<]*)</w:t>',
                      xml, re.S)


def with_pages(texts, pages):
    """texts with each 第3页 of the PAGE field replaced by the page LibreOffice computed."""
    pages = list(pages)
    out = []
    for t in texts:
        if t == "以最新版本为准，见制度汇编第3页":
            t = f"以最新版本为准，见制度汇编第{pages.pop(0)}页"
        out.append(t)
    assert not pages, pages
    return out


def libreoffice_fixtures(sources):
    """seed-cs-lo.docx, sales-lo.docx and sales-lo.doc, written by LibreOffice from .odt."""
    if shutil.which("soffice") is None:
        print("soffice not found: the LibreOffice fixtures (*-lo.docx, sales-lo.doc) are left as they are"
              " (apt-get install libreoffice-writer-nogui makes them)", file=sys.stderr)
        return
    with tempfile.TemporaryDirectory() as tmp:
        profile = os.path.join(tmp, "profile")
        odt = os.path.join(tmp, "odt")
        soffice(profile, "odt", odt, *(os.path.join(OUT, n) for n in sources))
        for name in sources:
            stem = name[:-len(".docx")]
            src = os.path.join(odt, stem + ".odt")
            soffice(profile, "docx:MS Word 2007 XML", tmp, src)
            shutil.copyfile(os.path.join(tmp, stem + ".docx"), os.path.join(OUT, stem + "-lo.docx"))
            pages = field_results(os.path.join(OUT, stem + "-lo.docx"))
            save_texts(stem + "-lo.docx", with_pages(sources[name], pages))
        # The old .doc, and its texts as LibreOffice reads it back (the page of its field).
        soffice(profile, "doc:MS Word 97", tmp, os.path.join(odt, "sales.odt"))
        shutil.copyfile(os.path.join(tmp, "sales.doc"), os.path.join(OUT, "sales-lo.doc"))
        back = os.path.join(tmp, "back")
        soffice(profile, "docx:MS Word 2007 XML", back, os.path.join(OUT, "sales-lo.doc"))
        save_texts("sales-lo.doc", with_pages(sources["sales.docx"], field_results(os.path.join(back, "sales-lo.docx"))))


def run(paragraph, text, tag=None):
    """A run with text, optionally wrapped in w:ins / w:del / w:hyperlink."""
    r = OxmlElement("w:r")
    t = OxmlElement("w:delText" if tag == "w:del" else "w:t")
    t.text = text
    t.set(qn("xml:space"), "preserve")
    r.append(t)
    if tag:
        wrap = OxmlElement(tag)
        if tag in ("w:ins", "w:del"):
            wrap.set(qn("w:id"), "1")
            wrap.set(qn("w:author"), "HR")
        wrap.append(r)
        paragraph._p.append(wrap)
    else:
        paragraph._p.append(r)


def field(paragraph, instr, result):
    for kind, text in (("begin", None), (None, instr), ("separate", None), (None, result), ("end", None)):
        r = OxmlElement("w:r")
        if kind:
            fc = OxmlElement("w:fldChar")
            fc.set(qn("w:fldCharType"), kind)
            r.append(fc)
        elif text == instr:
            it = OxmlElement("w:instrText")
            it.text = instr
            r.append(it)
        else:
            t = OxmlElement("w:t")
            t.text = text
            r.append(t)
        paragraph._p.append(r)


def grid_before(row, n):
    trPr = row._tr.get_or_add_trPr()
    gb = OxmlElement("w:gridBefore")
    gb.set(qn("w:val"), str(n))
    trPr.insert(0, gb)


SALES = [
    {
        "title": "销售部经理", "code": "XS-01", "dept": "销售部", "superior": "营销总监", "count": "1人",
        "date": "2024年3月1日",
        "purpose": "负责公司产品在华东区域的销售管理,完成年度销售目标",
        "duties": [("销售计划管理", ["1、组织制定年度、季度销售计划", "2、分解销售目标并监督执行"], "销售计划完成率"),
                   ("客户开发与维护", ["(1)组织开发重点客户", "(2)维护大客户关系"], "新客户数量"),
                   ("团队建设", ["①招聘并培训销售人员", "②考核销售人员业绩"], "人员流失率")],
        "power": ["销售价格在授权范围内的决定权", "对下属人员的考核权"],
        "internal": "财务部、客服部、生产部", "external": "客户、经销商、行业协会",
        "edu": "本科及以上", "major": "市场营销、工商管理", "exp": "五年以上销售工作经验,三年以上团队管理经验",
        "age": "30至45岁", "kpis": "销售额、回款率、新客户数量",
    },
    {
        "title": "销售代表", "code": "XS-02", "dept": "销售部", "superior": "销售部经理", "count": "6",
        "date": "2024-03-01",
        "purpose": "负责所辖区域客户的开发与维护,完成个人销售指标",
        "duties": [("客户开发", ["1、收集潜在客户信息", "2、拜访客户并介绍产品"], "新客户数量"),
                   ("订单跟进", ["1、跟进订单执行与发货", "2、协助催收货款"], "回款率")],
        "power": ["客户拜访计划的安排权"],
        "internal": "客服部、财务部", "external": "客户",
        "edu": "大专", "major": "市场营销", "exp": "1年以上销售经验",
        "age": "22至35岁", "kpis": "销售额、回款率",
    },
]


def sales_form(doc, f, texts, nested):
    doc.add_paragraph(f"{f['title']}岗位说明书")
    t = doc.add_table(rows=6, cols=4)
    t.style = "Table Grid"
    head = [("职位名称", f["title"], "职位编码", f["code"]), ("所属部门", f["dept"], "汇报对象", f["superior"]),
            ("编制", f["count"], "编制日期", f["date"]), ("任职年龄", f["age"], "", "")]
    for r, row in enumerate(head):
        for c, v in enumerate(row):
            set_cell(t.cell(r, c), v)
        texts += [row[1], row[3]]
    set_cell(t.cell(4, 0), "岗位目的：")
    set_cell(t.cell(4, 1).merge(t.cell(4, 3)), f["purpose"])
    texts.append(f["purpose"])
    set_cell(t.cell(5, 0).merge(t.cell(5, 3)), "主要职责")
    # Duties as columns: 职责 | 工作内容 | 考核标准.
    duties = doc.add_table(rows=1 + len(f["duties"]), cols=3)
    duties.style = "Table Grid"
    for c, h in enumerate(("职责", "工作内容", "考核标准")):
        set_cell(duties.cell(0, c), h)
    for r, (d, tasks, a) in enumerate(f["duties"], 1):
        set_cell(duties.cell(r, 0), d)
        set_cell(duties.cell(r, 1), tasks)
        set_cell(duties.cell(r, 2), a)
        texts += [d, a] + tasks
    rest = doc.add_table(rows=6, cols=3)
    rest.style = "Table Grid"
    set_cell(rest.cell(0, 0), "权限")
    set_cell(rest.cell(0, 1).merge(rest.cell(0, 2)), f["power"])
    texts += f["power"]
    vmerge(rest, 0, 1, 2, "工作关系")
    for k, (label, key) in enumerate((("内部关系", "internal"), ("外部关系", "external"))):
        set_cell(rest.cell(1 + k, 1), label)
        set_cell(rest.cell(1 + k, 2), f[key])
        texts.append(f[key])
    vmerge(rest, 0, 3, 5, "任职条件")
    for k, (label, key) in enumerate((("学历", "edu"), ("所学专业", "major"), ("工作经验", "exp"))):
        set_cell(rest.cell(3 + k, 1), label)
        set_cell(rest.cell(3 + k, 2), f[key])
        texts.append(f[key])
    kp = doc.add_table(rows=1, cols=3)
    kp.style = "Table Grid"
    grid_before(kp.rows[0], 1)
    set_cell(kp.cell(0, 0), "绩效指标")
    set_cell(kp.cell(0, 1), f["kpis"])
    texts.append(f["kpis"])
    p = kp.cell(0, 2).paragraphs[0]
    # 备注 with a tracked change, a hyperlink and a field: 备注：以[最新]版本为准，见制度汇编第3页。
    run(p, "备注：以")
    run(p, "最新", "w:ins")
    run(p, "旧的", "w:del")
    run(p, "版本为准，见")
    run(p, "制度汇编", "w:hyperlink")
    run(p, "第")
    field(p, "PAGE", "3")
    run(p, "页")
    texts.append("以最新版本为准，见制度汇编第3页")
    if not nested:
        # A table of KPIs with weights and targets under a header row.
        kt = doc.add_table(rows=3, cols=4)
        kt.style = "Table Grid"
        rows = [("指标名称", "权重(%)", "目标值", "单位"), ("月度销售额", "60", "50", "万元"), ("新客户拜访数", "40", "≥20", "家")]
        for r, row in enumerate(rows):
            for c, v in enumerate(row):
                set_cell(kt.cell(r, c), v)
        texts += ["月度销售额", "新客户拜访数", "万元", "≥20"]
    if nested:
        # A nested table inside a cell: the 其他 section written as a small table.
        outer = doc.add_table(rows=1, cols=2)
        outer.style = "Table Grid"
        set_cell(outer.cell(0, 0), "工作条件")
        inner = outer.cell(0, 1).add_table(rows=2, cols=2)
        for r, (label, v) in enumerate((("工作场所", "办公室与客户现场"), ("工作时间", "弹性工作制"))):
            set_cell(inner.cell(r, 0), label)
            set_cell(inner.cell(r, 1), v)
            texts.append(v)
    doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)


def main():
    os.makedirs(OUT, exist_ok=True)
    texts = []
    doc = Document()
    doc.add_paragraph("客服岗位职责说明书")
    for i, f in enumerate(CS):
        cs_form(doc, f, texts, i % 3)
    save(doc, "seed-cs.docx", texts)
    seed_texts = texts

    texts = []
    doc = Document()
    doc.add_paragraph("华东销售有限公司岗位说明书")
    for i, f in enumerate(SALES):
        sales_form(doc, f, texts, nested=(i == 0))
    save(doc, "sales.docx", texts)
    sales_texts = texts

    texts = []
    doc = Document()
    cs_form(doc, CS[2], texts, 0)
    save(doc, "cs-copy.docx", texts)

    texts = []
    doc = Document()
    t = doc.add_table(rows=3, cols=2)
    for r, (a, b) in enumerate((("所在部门", "行政部"), ("本职", "负责公司行政事务"), ("直接上级", "总经理"))):
        set_cell(t.cell(r, 0), a)
        set_cell(t.cell(r, 1), b)
    doc.save(os.path.join(OUT, "no-title.docx"))

    pasted = ("行政部岗位说明书\n岗位名称：行政专员\n所在部门：行政部\n直接上级：行政部经理\n"
              "本职：负责公司日常行政事务\n主要职责：\n1、办公用品的采购与管理\n2、会议的组织与记录\n"
              "学历：大专\n工作经验：2年以上行政工作经验\n晋升通道：行政主管\n")
    with open(os.path.join(OUT, "pasted.txt"), "w", encoding="utf-8") as fh:
        fh.write(pasted)
    with open(os.path.join(OUT, "pasted-gbk.txt"), "wb") as fh:
        fh.write(pasted.replace("行政专员", "行政助理").encode("gbk"))
    with open(os.path.join(OUT, "empty.txt"), "w") as fh:
        pass
    with open(os.path.join(OUT, "no-form.txt"), "w", encoding="utf-8") as fh:
        fh.write("会议纪要\n今天讨论了明年的预算。\n")
    with open(os.path.join(OUT, "not-a-zip.docx"), "w") as fh:
        fh.write("this is plain text with a .docx name\n")
    with open(os.path.join(OUT, "encrypted.docx"), "wb") as fh:
        fh.write(bytes([0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) + bytes(504))
    with open(os.path.join(OUT, "legacy.doc"), "wb") as fh:
        fh.write(bytes([0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) + bytes(504))
    with zipfile.ZipFile(os.path.join(OUT, "bomb.docx"), "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<w:document>" + " " * (40 << 20) + "</w:document>")

    libreoffice_fixtures({"seed-cs.docx": seed_texts, "sales.docx": sales_texts})


if __name__ == "__main__":
    sys.exit(main())
