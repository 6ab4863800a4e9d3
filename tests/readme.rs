//! The README's claims a new user checks first, against what the binary does: the test
//! command, the seed example's diagnostic and counts, the public edition's file names.

mod common;

use common::{repo, rolebook};

fn readme() -> String {
    std::fs::read_to_string(repo().join("README.md")).unwrap()
}

/// The lines of the README's `$ rolebook check tests/fixtures/seed` block.
fn seed_block(readme: &str) -> Vec<String> {
    let start = readme
        .find("$ rolebook check tests/fixtures/seed\n")
        .expect("the seed example");
    readme[start..]
        .lines()
        .skip(1)
        .take_while(|l| !l.starts_with("```"))
        .map(str::to_string)
        .collect()
}

#[test]
fn the_seed_example_is_what_check_prints() {
    let o = rolebook()
        .args(["check", "tests/fixtures/seed"])
        .current_dir(repo())
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1));
    let printed = String::from_utf8(o.stdout).unwrap();
    let readme = readme();
    let block = seed_block(&readme);
    let summary = block.last().unwrap();
    assert_eq!(
        printed.lines().last().unwrap(),
        summary,
        "the README's summary line"
    );
    // Each run of lines between the `…` is printed as it stands.
    for part in block[..block.len() - 1].split(|l| l == "…") {
        if part.is_empty() {
            continue;
        }
        let text = part.join("\n");
        assert!(
            printed.contains(&text),
            "README shows\n{text}\nbut check prints\n{printed}"
        );
    }
}

#[test]
fn the_test_command_is_scripts_test_and_the_public_files_are_named_as_written() {
    let readme = readme();
    assert!(
        readme.contains("\nscripts/test  "),
        "the README's test command"
    );
    assert!(repo().join("scripts/test").exists());
    let out = tempfile::tempdir().unwrap();
    let o = rolebook()
        .args(["build", "positions", "--edition", "public", "--out"])
        .arg(out.path())
        .current_dir(repo())
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let mut written: Vec<String> = std::fs::read_dir(out.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    written.sort();
    assert_eq!(written, ["handbook-public.html", "handbook-public.pdf"]);
    for name in &written {
        assert!(readme.contains(name.as_str()), "README names {name}");
    }
}
