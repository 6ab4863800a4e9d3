//! Times `rolebook build` stage by stage on synthetic organizations (issue 3's budget: a
//! 1,000-position handbook in under 1 s, 10,000 in under 10 s, release build).
//!
//! ```text
//! cargo run --release --example bench_build                 # generates 1,000 and 10,000 positions
//! cargo run --release --example bench_build -- 3000         # other sizes
//! cargo run --release --example bench_build -- --dir D      # an existing folder (e.g. from gen_org)
//! ```
//!
//! The generator here is deliberately small (the lead's `examples/gen_org.rs` is the realistic
//! one): departments of one 经理, four 主管 and 专员 under them, six duties of three tasks,
//! four weighted KPIs, qualifications and conditions, a little Markdown.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use rolebook::check::check;
use rolebook::load::load_dir;
use rolebook::render::html::{self, Templates};
use rolebook::render::{Edition, Options, files};

const BUDGET: &[(usize, f64)] = &[(1_000, 1.0), (10_000, 10.0)];

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if let Some(i) = args.iter().position(|a| a == "--dir") {
        let dir = PathBuf::from(args.get(i + 1).expect("--dir DIR"));
        run(&dir, None);
        return;
    }
    let sizes: Vec<usize> = if args.is_empty() {
        BUDGET.iter().map(|(n, _)| *n).collect()
    } else {
        args.iter()
            .map(|a| a.parse().expect("a number of positions"))
            .collect()
    };
    for n in sizes {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("positions");
        generate(n, &dir);
        let budget = BUDGET.iter().find(|(b, _)| *b == n).map(|(_, s)| *s);
        run(&dir, budget);
    }
}

fn run(dir: &Path, budget: Option<f64>) {
    let out = tempfile::tempdir().unwrap();
    let t = Instant::now();
    let loaded = load_dir(dir).expect("load");
    let load = t.elapsed();
    let t = Instant::now();
    let diagnostics = check(&loaded);
    let checked = t.elapsed();
    let n = loaded.org.positions.len();
    let mut codes: Vec<(&str, usize)> = Vec::new();
    for d in &diagnostics {
        match codes.iter_mut().find(|(c, _)| *c == d.code) {
            Some((_, k)) => *k += 1,
            None => codes.push((d.code, 1)),
        }
    }
    if !codes.is_empty() {
        println!("        findings by code: {codes:?}");
    }

    let t = Instant::now();
    let templates = Templates::load(None).expect("templates");
    let options = Options {
        edition: Edition::Internal,
        ..Default::default()
    };
    let rendered = html::render(&loaded.org, &options, &templates).expect("render");
    let render = t.elapsed();
    let t = Instant::now();
    files::write(out.path(), &rendered).expect("write");
    let write = t.elapsed();
    let bytes = rendered.files[0].contents.len();

    let t = Instant::now();
    let split = Options {
        split: true,
        ..options
    };
    let rendered = html::render(&loaded.org, &split, &templates).expect("render split");
    let split_render = t.elapsed();
    files::write(out.path(), &rendered).expect("write split");
    let split_time = t.elapsed();

    let handbook = load + render + write;
    println!(
        "{n:>6} positions: load {}  check {} ({} findings)  render {}  write {}  \
         -> handbook {} ({:.1} MB)   with --split {} (render {}, {} files)   build incl. check {}",
        ms(load),
        ms(checked),
        diagnostics.len(),
        ms(render),
        ms(write),
        ms(handbook),
        bytes as f64 / 1e6,
        ms(split_time),
        ms(split_render),
        rendered.files.len(),
        ms(handbook + checked),
    );
    if let Some(b) = budget {
        let verdict = if handbook.as_secs_f64() < b {
            "within"
        } else {
            "OVER"
        };
        println!("        budget {b} s for load + render + write: {verdict}");
    }
}

fn ms(d: Duration) -> String {
    format!("{:.0} ms", d.as_secs_f64() * 1000.0)
}

const FUNCTIONS: &[&str] = &[
    "客服", "销售", "市场", "采购", "物流", "质检", "仓储", "售后",
];
const REGIONS: &[&str] = &[
    "华东", "华南", "华北", "华中", "西南", "西北", "东北", "总部",
];
const VERBS: &[&str] = &[
    "制定", "执行", "跟踪", "整理", "统计", "分析", "维护", "核对",
];
const OBJECTS: &[&str] = &[
    "客户档案",
    "服务流程",
    "回访计划",
    "投诉台账",
    "订单数据",
    "库存报表",
    "物流单据",
    "培训课件",
];

/// Writes `n` positions and an `_org.toml` into `dir`.
fn generate(n: usize, dir: &Path) {
    std::fs::create_dir_all(dir).unwrap();
    let per_dept = 50;
    let depts = n.div_ceil(per_dept);
    let mut org = String::from(
        "name = \"基准测试有限公司\"\nlevels = [\"专员\", \"主管\", \"经理\", \"总监\"]\n\n[external]\n\
         director = { title = \"运营总监\", level = \"总监\" }\n",
    );
    org.push_str("\n[checks]\nduplicate-duty = \"off\"\npurpose-uncovered = \"off\"\n");
    std::fs::write(dir.join("_org.toml"), org).unwrap();
    let mut made = 0;
    for d in 0..depts {
        let dept = format!(
            "{}{}部{}",
            REGIONS[d % REGIONS.len()],
            FUNCTIONS[(d / REGIONS.len()) % FUNCTIONS.len()],
            d
        );
        for k in 0..per_dept {
            if made == n {
                return;
            }
            let (id, title, reports_to) = match k {
                0 => (
                    format!("d{d}-mgr"),
                    format!("{dept}经理"),
                    "director".to_string(),
                ),
                1..=4 => (
                    format!("d{d}-sup{k}"),
                    format!("{dept}主管{k}"),
                    format!("d{d}-mgr"),
                ),
                _ => (
                    format!("d{d}-spec{k}"),
                    format!("{dept}专员{k}"),
                    format!("d{d}-sup{}", 1 + k % 4),
                ),
            };
            std::fs::write(
                dir.join(format!("{id}.toml")),
                position(made, &title, &dept, &reports_to),
            )
            .unwrap();
            made += 1;
        }
    }
}

fn position(i: usize, title: &str, dept: &str, reports_to: &str) -> String {
    let pick = |xs: &[&'static str], k: usize| xs[(i * 7 + k * 3) % xs.len()];
    let mut s = String::new();
    let _ = writeln!(s, "title = \"{title}\"");
    let _ = writeln!(s, "code = \"B-{i:05}\"");
    let _ = writeln!(s, "department = \"{dept}\"");
    let level = ["经理", "主管", "专员"]
        .into_iter()
        .find(|l| title.contains(l))
        .unwrap_or("专员");
    let _ = writeln!(s, "level = \"{level}\"");
    let _ = writeln!(s, "reports_to = \"{reports_to}\"");
    let _ = writeln!(s, "headcount = {}", 1 + i % 5);
    let _ = writeln!(s, "pay_grade = \"G{}\"", i % 9);
    let _ = writeln!(s, "pay_type = \"月薪制\"");
    let _ = writeln!(s, "analysis_date = 2024-01-{:02}", 1 + i % 28);
    let _ = writeln!(
        s,
        "summary = \"负责{dept}的{}与{}工作，**确保**按时保质完成。\"",
        pick(OBJECTS, 0),
        pick(OBJECTS, 1)
    );
    let _ = writeln!(
        s,
        "authorities = [\"{}的审核权\", \"{}的建议权\"]",
        pick(OBJECTS, 2),
        pick(OBJECTS, 3)
    );
    let _ = writeln!(s, "notes = \"第{i}号岗位\"\n");
    for k in 0..6 {
        let _ = writeln!(s, "[[duties]]");
        let _ = writeln!(
            s,
            "title = \"{}{}（{i}-{k}）\"",
            pick(VERBS, k),
            pick(OBJECTS, k)
        );
        let _ = writeln!(
            s,
            "tasks = [\"{}{}，形成记录\", \"每周{}{}并汇报\", \"按 [制度](https://example.com/{k}) 执行\"]",
            pick(VERBS, k + 1),
            pick(OBJECTS, k + 2),
            pick(VERBS, k + 3),
            pick(OBJECTS, k + 4)
        );
        let _ = writeln!(
            s,
            "assessment = \"{}的及时性与准确性\"\n",
            pick(OBJECTS, k + 5)
        );
    }
    s.push_str(
        "[relations]\ninternal = [\"公司各部门\"]\nexternal = [\"客户\", \"供应商\"]\n\n\
         [qualifications]\neducation = \"大专\"\nmajors = [\"管理\"]\ntraining = [\"岗前培训\"]\n\
         experience_years = 1\nknowledge = \"熟悉本岗位业务\"\nskills = \"熟练使用办公软件\"\n\
         traits = [\"沟通能力\", \"责任心\"]\n\n[conditions]\ntools = [\"计算机\", \"电话\"]\n\
         environment = \"办公室\"\nhours = \"正常工作时间\"\nrecords = [\"周报\", \"月报\"]\n\n",
    );
    for (k, (name, weight)) in [
        ("工作完成率", 40),
        ("差错率", 20),
        ("客户满意度", 30),
        ("协作评价", 10),
    ]
    .iter()
    .enumerate()
    {
        let _ = writeln!(s, "[[kpis]]\nname = \"{name}\"\nweight = {weight}");
        match k {
            1 => s.push_str("target = 2\nunit = \"%\"\ndirection = \"lower\"\nthreshold = 10\n\n"),
            3 => s.push_str("target = 4\ndirection = \"rating\"\n\n"),
            _ => s.push_str("target = 95\nunit = \"%\"\n\n"),
        }
    }
    s
}
