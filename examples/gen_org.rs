//! Writes a synthetic organization for benchmarks and scale tests.
//!
//! `cargo run --release --example gen_org -- N OUT_DIR [--copies EVERY]`
//!
//! N positions over many departments (one 经理 per department reporting to an external 总监,
//! 主管 under it, 专员 under them), six duties each in realistic Chinese, three weighted KPIs,
//! consistent qualifications. Every EVERY-th position (default 50) gets a planted copy of a
//! duty of another position, verbatim or with its punctuation changed, so `check` has real
//! duplicates to find. Output is deterministic for a given N.

use std::fmt::Write as _;
use std::path::Path;

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
    fn pick<'a>(&mut self, xs: &[&'a str]) -> &'a str {
        xs[(self.next() % xs.len() as u64) as usize]
    }
}

const REGIONS: &[&str] = &[
    "华东", "华南", "华北", "华中", "西南", "西北", "东北", "总部",
];
const FUNCTIONS: &[&str] = &[
    "客服", "销售", "市场", "采购", "物流", "质检", "仓储", "售后", "培训", "渠道", "运营", "结算",
];
const NUMBERS: &[&str] = &["一", "二", "三", "四", "五", "六", "七", "八", "九", "十"];
const VERBS: &[&str] = &[
    "制定", "执行", "落实", "跟踪", "整理", "统计", "分析", "编写", "维护", "更新", "核对", "登记",
    "汇总", "反馈", "优化", "梳理", "归档", "监测", "协调", "推进", "复盘", "评估", "记录", "规范",
];
const OBJECTS: &[&str] = &[
    "客户档案",
    "服务流程",
    "回访计划",
    "投诉台账",
    "订单数据",
    "库存报表",
    "供应商资料",
    "物流单据",
    "培训课件",
    "渠道政策",
    "结算凭证",
    "质检记录",
    "售后工单",
    "市场情报",
    "活动方案",
    "价格清单",
    "合作协议",
    "会员信息",
    "满意度问卷",
    "退换货记录",
    "发货计划",
    "对账明细",
    "巡检报告",
    "知识库条目",
    "服务标准",
    "异常清单",
    "周报月报",
    "考勤记录",
    "样品台账",
    "备件目录",
];
const PURPOSES: &[&str] = &[
    "确保数据准确完整",
    "提升客户满意度",
    "缩短处理周期",
    "降低差错率",
    "保证按时交付",
    "支持管理决策",
    "防止信息遗漏",
    "提高工作效率",
    "满足审计要求",
    "减少重复劳动",
    "及时发现问题",
    "保障服务质量",
    "控制运营成本",
    "改善协作效率",
    "形成闭环管理",
];
const CYCLES: &[&str] = &[
    "每日",
    "每周",
    "每月",
    "每季度",
    "按需",
    "定期",
    "及时",
    "逐月",
    "逐周",
];
const KPI_NAMES: &[&str] = &[
    "客户满意度",
    "处理及时率",
    "数据准确率",
    "计划完成率",
    "差错次数",
    "回访完成率",
    "交付准时率",
];

fn task(rng: &mut Rng, dept: &str) -> String {
    format!(
        "{}{}{dept}{}，{}{}，{}",
        rng.pick(CYCLES),
        rng.pick(VERBS),
        rng.pick(OBJECTS),
        rng.pick(VERBS),
        rng.pick(OBJECTS),
        rng.pick(PURPOSES)
    )
}

struct Pos {
    id: String,
    title: String,
    dept: String,
    reports_to: String,
    boss_title: String,
    level: usize,
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let usage = "usage: gen_org N OUT_DIR [--copies EVERY]";
    let n: usize = args.first().and_then(|a| a.parse().ok()).expect(usage);
    let out = Path::new(args.get(1).expect(usage));
    let every: usize = match args.iter().position(|a| a == "--copies") {
        Some(i) => args.get(i + 1).and_then(|a| a.parse().ok()).expect(usage),
        None => 50,
    };
    std::fs::create_dir_all(out).expect("create output folder");
    let mut rng = Rng(n as u64);

    // Departments of about 20 positions: 1 manager, 3 supervisors, specialists.
    let mut positions: Vec<Pos> = Vec::with_capacity(n);
    let mut d = 0usize;
    while positions.len() < n {
        let region = REGIONS[d % REGIONS.len()];
        let function = FUNCTIONS[(d / REGIONS.len()) % FUNCTIONS.len()];
        let round = d / (REGIONS.len() * FUNCTIONS.len());
        let dept = if round == 0 {
            format!("{region}{function}部")
        } else {
            let num = NUMBERS[(round - 1) % NUMBERS.len()];
            let extra = if round > NUMBERS.len() {
                format!("{}", round / NUMBERS.len())
            } else {
                String::new()
            };
            format!("{region}{function}{num}{extra}部")
        };
        let sub = format!("d{d:05}");
        let manager = format!("{sub}/{sub}-m");
        let mtitle = format!("{dept}经理");
        positions.push(Pos {
            id: manager.clone(),
            title: mtitle.clone(),
            dept: dept.clone(),
            reports_to: "director".into(),
            boss_title: "营销总监".into(),
            level: 2,
        });
        for (s, group) in NUMBERS.iter().enumerate().take(3) {
            if positions.len() >= n {
                break;
            }
            let sid = format!("{sub}/{sub}-s{s}");
            let stitle = format!("{dept}{group}组主管");
            positions.push(Pos {
                id: sid.clone(),
                title: stitle.clone(),
                dept: dept.clone(),
                reports_to: manager.clone(),
                boss_title: mtitle.clone(),
                level: 1,
            });
            for k in 0..5 {
                if positions.len() >= n {
                    break;
                }
                positions.push(Pos {
                    id: format!("{sub}/{sub}-s{s}-p{k}"),
                    title: format!("{dept}{group}组专员"),
                    dept: dept.clone(),
                    reports_to: sid.clone(),
                    boss_title: stitle.clone(),
                    level: 0,
                });
            }
        }
        d += 1;
    }

    let mut duties_of: Vec<Vec<(String, Vec<String>)>> = Vec::with_capacity(n);
    for p in &positions {
        let mut duties = Vec::new();
        for _ in 0..5 {
            let title = format!(
                "{}{}",
                rng.pick(OBJECTS),
                rng.pick(&["管理", "维护", "跟踪", "分析", "规范"])
            );
            let tasks = (0..3).map(|_| task(&mut rng, &p.dept)).collect();
            duties.push((title, tasks));
        }
        duties.push((
            format!("完成{}交办的其他工作", p.boss_title),
            vec![format!("完成{}交办的其他工作", p.boss_title)],
        ));
        duties_of.push(duties);
    }
    // Planted copies: duty 0 of an earlier position, verbatim or with its punctuation changed.
    let mut planted = 0;
    for i in (every..n).step_by(every.max(1)) {
        let src = (rng.next() % i as u64) as usize;
        let mut copy = duties_of[src][0].clone();
        if planted % 2 == 1 {
            copy.1 = copy.1.iter().map(|t| t.replace('，', ", ")).collect();
        }
        duties_of[i][1] = copy;
        planted += 1;
    }

    let mut org = String::from(
        "name = \"合成测试集团\"\nlevels = [\"专员\", \"主管\", \"经理\", \"总监\"]\n\n[external]\ndirector = { title = \"营销总监\", level = \"总监\" }\n",
    );
    org.push('\n');
    std::fs::write(out.join("_org.toml"), org).expect("write _org.toml");

    for (p, duties) in positions.iter().zip(&duties_of) {
        let id = p.id.rsplit('/').next().unwrap();
        let mut s = String::new();
        let _ = writeln!(s, "title = \"{}\"", p.title);
        let _ = writeln!(s, "code = \"{}\"", id.to_uppercase());
        let _ = writeln!(s, "department = \"{}\"", p.dept);
        let _ = writeln!(
            s,
            "reports_to = \"{}\"",
            p.reports_to.rsplit('/').next().unwrap()
        );
        let _ = writeln!(s, "headcount = {}", 1 + rng.next() % 4);
        let _ = writeln!(
            s,
            "analysis_date = 2024-0{}-1{}",
            1 + rng.next() % 9,
            rng.next() % 10
        );
        let summary: Vec<&str> = duties[..3].iter().map(|d| d.0.as_str()).collect();
        let _ = writeln!(s, "summary = \"负责{}等工作。\"", summary.join("、"));
        let _ = writeln!(
            s,
            "authorities = [\"{}的建议权\", \"本岗位工作范围内的执行权\"]",
            rng.pick(OBJECTS)
        );
        for (title, tasks) in duties {
            let _ = writeln!(s, "\n[[duties]]\ntitle = \"{title}\"\ntasks = [");
            for t in tasks {
                let _ = writeln!(s, "  \"{t}\",");
            }
            let _ = writeln!(s, "]\nassessment = \"{}\"", rng.pick(PURPOSES));
        }
        let (edu, years) = [("大专", 1), ("大专", 3), ("本科", 5)][p.level];
        let _ = writeln!(
            s,
            "\n[qualifications]\neducation = \"{edu}\"\nexperience_years = {years}\nskills = \"熟练使用办公软件\"\n"
        );
        let _ = writeln!(
            s,
            "[conditions]\ntools = [\"计算机\", \"电话\"]\nenvironment = \"办公场所\"\n"
        );
        let start = (rng.next() % KPI_NAMES.len() as u64) as usize;
        for (k, w) in [40, 30, 30].iter().enumerate() {
            let name = KPI_NAMES[(start + k) % KPI_NAMES.len()];
            let _ = writeln!(
                s,
                "[[kpis]]\nname = \"{name}\"\nweight = {w}\ntarget = 90\nunit = \"%\"\n"
            );
        }
        let path = out.join(format!("{}.toml", p.id));
        std::fs::create_dir_all(path.parent().unwrap()).expect("create department folder");
        std::fs::write(path, s).expect("write position");
    }
    eprintln!(
        "wrote {n} positions ({planted} planted duty copies) to {}",
        out.display()
    );
}
