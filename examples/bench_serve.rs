//! Times `rolebook serve` on a folder: one poll of the files, one build, and the whole way from
//! a save to the new handbook being served (the issue's "within a second of a save").
//!
//! ```text
//! cargo run --release --example gen_org -- 1000 /tmp/org1k
//! cargo run --release --example bench_serve -- /tmp/org1k
//! ```
//!
//! The folder is copied first (the benchmark edits files); the copy is removed at the end.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use rolebook::render::Edition;
use rolebook::serve::watch::Stamp;
use rolebook::serve::{Config, Server, site};

fn main() {
    let from = PathBuf::from(std::env::args().nth(1).expect("a positions folder"));
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("positions");
    copy(&from, &dir);
    let config = Config {
        dir: dir.clone(),
        edition: Edition::Internal,
        templates: None,
        source_date: None,
        addr: "127.0.0.1:0".parse().unwrap(),
    };

    let polls: Vec<Duration> = (0..20)
        .map(|_| {
            let t = Instant::now();
            let _ = Stamp::take(&dir, None);
            t.elapsed()
        })
        .collect();
    let builds: Vec<Duration> = (0..3)
        .map(|_| {
            let t = Instant::now();
            let a = site::build(&config);
            assert!(a.handbook.is_some(), "{:?}", a.problem);
            t.elapsed()
        })
        .collect();
    let attempt = site::build(&config);
    println!(
        "{} positions: poll {:.1} ms, build {:.0} ms (load, check, render; medians)",
        attempt.summary.positions,
        ms(median(polls)),
        ms(median(builds)),
    );

    let server = Server::start(config).unwrap();
    let addr = server.local_addr().unwrap();
    let (stop, stopped) = std::sync::mpsc::channel();
    let running = std::thread::spawn(move || server.run(stopped, |_| {}));
    let file = first_position(&dir);
    let mut saves = Vec::new();
    for i in 0..5 {
        let mark = format!("BENCH{i}MARK");
        let text = std::fs::read_to_string(&file).unwrap();
        let edited = text.replacen("summary = \"", &format!("summary = \"{mark}"), 1);
        let t = Instant::now();
        std::fs::write(&file, edited).unwrap();
        while !get(addr, "/handbook.html").contains(&mark) {
            assert!(
                t.elapsed() < Duration::from_secs(60),
                "the save never showed"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
        saves.push(t.elapsed());
    }
    println!(
        "save to served handbook: median {:.0} ms, worst {:.0} ms ({} saves)",
        ms(median(saves.clone())),
        ms(*saves.iter().max().unwrap()),
        saves.len()
    );
    stop.send(()).unwrap();
    running.join().unwrap().unwrap();
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn get(addr: SocketAddr, path: &str) -> String {
    let mut s = TcpStream::connect(addr).unwrap();
    write!(s, "GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").unwrap();
    let mut out = String::new();
    s.read_to_string(&mut out).unwrap();
    out
}

fn first_position(dir: &Path) -> PathBuf {
    rolebook::load::source_files(dir)
        .unwrap()
        .into_iter()
        .find(|p| p.file_name().is_some_and(|n| n != "_org.toml"))
        .expect("a position file")
}

fn copy(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}
