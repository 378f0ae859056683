//! Docs are tested: every shell block in `README.md` and `docs/*.md` runs, as written,
//! against a fresh demo.
//!
//! **Which blocks.** Every fenced block whose info string starts with `sh`, `bash` or
//! `shell`. A `python` block is only checked to parse (`python3`'s `ast`), as it is a
//! fragment for a receiver, not a program to run.
//!
//! **How they run.** Each file gets its own `rota demo` (the real binary, on a scratch
//! database of the engine under test, bound to a free loopback port) and one
//! `bash -euo pipefail` session that runs the file's blocks in the order they appear, so a
//! later block may use what an earlier one set (`$TOKEN`, `$BASE`, `json`), as a reader
//! following the page in one terminal would. No state leaks between files: each starts
//! from a fresh demo and a fresh shell. Two texts are rewritten before the blocks run, and
//! nothing else: `127.0.0.1:8080`, the demo's default address the docs are written for,
//! becomes the demo's real address, and `sqlite://rota-demo.db`, the demo's default
//! database, becomes the scratch database's URL (for operator commands run beside the
//! demo). The shell finds `rota` (the binary under test) on its `PATH` and runs in a
//! scratch directory, so whatever a block writes there is thrown away. On PostgreSQL the
//! demo is given a secret key (`ROTA_SECRET_KEY`): a SQLite demo makes its own in a file
//! beside the database, and the docs (MFA, webhook secrets) are written for that demo.
//!
//! **What fails.** A block fails when the shell stops in it (a command fails, an unset
//! variable is read, a pipe breaks) or when it runs longer than [`BLOCK_TIMEOUT`]. The
//! message names the file and the line of the block, the line of the failing command, the
//! block's text and its standard output and error, and the demo's log. A tool a block uses
//! that is missing fails with its name (bash's `command_not_found_handle`); `curl`,
//! `python3` and `openssl` are checked before anything runs.
//!
//! **Exemptions.** A block marked `no-test` in its info string (```` ```sh no-test ````) is
//! not run. Only three kinds of block may carry it, and the harness fails on any other:
//! one that starts the demo itself (`cargo run … demo`, `rota demo`: the harness starts
//! its own), one that runs the test command (`scripts/test`, which would run this test
//! again) and one that runs the benchmark (`scripts/bench`, minutes long and measuring the
//! machine).
//!
//! **How the failing line is found.** The script bash runs keeps each block's lines at
//! their line numbers in the Markdown file (everything outside tested blocks is a blank
//! line, and the prelude shares line 1, which no block can reach), so bash's `$LINENO` in
//! the error trap is the file's own line.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use rota_core::testing::{engine_under_test, scratch_database};

/// The longest a single block may run; the slowest today take a few seconds.
const BLOCK_TIMEOUT: Duration = Duration::from_secs(60);

/// The address the docs are written for: `rota demo`'s default.
const DOCUMENTED_ADDRESS: &str = "127.0.0.1:8080";

/// The database `rota demo` uses by default, which blocks beside the demo name.
const DOCUMENTED_DATABASE: &str = "sqlite://rota-demo.db";

/// The tools the docs may assume (installed on CI's Debian image).
const TOOLS: [&str; 3] = ["curl", "python3", "openssl"];

/// What an exempt block must be about; anything else marked `no-test` is refused.
const EXEMPT_KINDS: [(&str, &str); 4] = [
    (
        "-- demo",
        "starts the demo, which the harness starts itself",
    ),
    (
        "rota demo",
        "starts the demo, which the harness starts itself",
    ),
    (
        "scripts/test",
        "runs the test command, which would run this test again",
    ),
    ("scripts/bench", "runs the benchmark, minutes long"),
];

/// The marker a block's first line prints to both streams, so output can be told apart.
const MARKER: &str = "@@rota-docs-block ";

#[derive(Debug, Clone, PartialEq)]
struct Block {
    /// The line of the opening fence, 1-based.
    line: usize,
    /// The first word of the info string: `sh`, `python`, …
    lang: String,
    exempt: bool,
    /// The lines between the fences.
    text: Vec<String>,
}

impl Block {
    fn is_shell(&self) -> bool {
        matches!(self.lang.as_str(), "sh" | "bash" | "shell")
    }
}

/// The fenced blocks of a Markdown text, in order. Fences are ``` or ~~~ at the start of a
/// line (after up to three spaces), closed by the same kind of fence, at least as long, or
/// by the end of the text.
fn blocks(markdown: &str) -> Vec<Block> {
    let mut found = Vec::new();
    let mut open: Option<(String, Block)> = None;
    for (index, line) in markdown.lines().enumerate() {
        let trimmed = line.trim_start_matches(' ');
        let indent = line.len() - trimmed.len();
        let fence: String = trimmed
            .chars()
            .take_while(|c| *c == '`' || *c == '~')
            .collect();
        let is_fence =
            indent <= 3 && fence.len() >= 3 && fence.chars().all(|c| fence.starts_with(c));
        match open.take() {
            Some((opening, block)) => {
                let closes = is_fence
                    && fence.starts_with(&opening)
                    && trimmed[fence.len()..].trim().is_empty();
                if closes {
                    found.push(block);
                } else {
                    let mut block = block;
                    block.text.push(line.to_owned());
                    open = Some((opening, block));
                }
            }
            None if is_fence => {
                let mut words = trimmed[fence.len()..].split_whitespace();
                let lang = words.next().unwrap_or_default().to_owned();
                let exempt = words.any(|word| word == "no-test");
                let block = Block {
                    line: index + 1,
                    lang,
                    exempt,
                    text: Vec::new(),
                };
                open = Some((fence, block));
            }
            None => {}
        }
    }
    // An unclosed fence runs to the end of the document (CommonMark), so it is still run.
    found.extend(open.map(|(_, block)| block));
    found
}

/// README.md and every docs/*.md, by path from the repository root, in a stable order.
fn documents() -> Vec<PathBuf> {
    let root = repository_root();
    let mut docs: Vec<PathBuf> = std::fs::read_dir(root.join("docs"))
        .expect("read docs/")
        .map(|entry| entry.expect("docs/ entry").path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "md"))
        .collect();
    docs.sort();
    let mut all = vec![root.join("README.md")];
    all.extend(docs);
    all
}

fn repository_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .expect("the repository root")
}

fn relative(path: &Path) -> String {
    path.strip_prefix(repository_root())
        .unwrap_or(path)
        .display()
        .to_string()
}

/// Why an exempt block may be exempt, or `None` when it may not.
fn exemption(block: &Block) -> Option<&'static str> {
    let text = block.text.join("\n");
    EXEMPT_KINDS
        .iter()
        .find(|(needle, _)| text.contains(needle))
        .map(|(_, reason)| *reason)
}

/// The script for one file: line N of the script is line N of the Markdown, so `$LINENO`
/// names the file's line. Line 1 (never inside a block) carries the prelude.
fn script(markdown: &str, shell_blocks: &[&Block], substitutions: &[(&str, &str)]) -> String {
    let total = markdown.lines().count().max(1);
    let mut lines = vec![String::new(); total];
    for block in shell_blocks {
        // The fence line itself announces the block.
        lines[block.line - 1] = format!("__rota_docs_block {}", block.line);
        for (offset, text) in block.text.iter().enumerate() {
            lines[block.line + offset] = substitutions
                .iter()
                .fold(text.clone(), |text, (from, to)| text.replace(from, to));
        }
    }
    let prelude = [
        "set -euo pipefail",
        // Where a command failed, as the Markdown file's line.
        r#"trap 'echo "docs test: line $LINENO failed (status $?): $BASH_COMMAND" >&2' ERR"#,
        r#"command_not_found_handle() { echo "docs test: '$1' is not installed, and a block needs it" >&2; return 127; }"#,
        &format!(
            r#"__rota_docs_block() {{ printf '\n{MARKER}%s\n' "$1"; printf '\n{MARKER}%s\n' "$1" >&2; }}"#
        ),
    ]
    .join("; ");
    lines[0] = if lines[0].is_empty() {
        prelude
    } else {
        format!("{prelude}; {}", lines[0])
    };
    lines.join("\n") + "\n"
}

/// A scratch directory for one file's run, removed afterwards.
struct Scratch(PathBuf);

impl Scratch {
    fn new(name: &str) -> Self {
        let path = std::env::temp_dir().join(format!(
            "rota-docs-{}-{name}-{:016x}",
            std::process::id(),
            rand::random::<u64>()
        ));
        std::fs::create_dir_all(&path).expect("scratch dir");
        Self(path)
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// A running `rota demo`, stopped when dropped.
struct Demo {
    child: Child,
    address: String,
    database_url: String,
    log: PathBuf,
}

impl Drop for Demo {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Demo {
    fn start(database_url: &str, dir: &Path) -> Self {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .expect("bind")
            .local_addr()
            .expect("addr")
            .port();
        let address = format!("127.0.0.1:{port}");
        let log = dir.join("demo.log");
        let mut command = Command::new(env!("CARGO_BIN_EXE_rota"));
        command
            .args(["demo", "--bind", &address])
            .env("ROTA_DATABASE_URL", database_url)
            // Its log is shown when a block fails: plain text reads better there.
            .env("NO_COLOR", "1")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(std::fs::File::create(&log).expect("demo log"));
        if engine_under_test() == "postgres" {
            // A fixed test key: the demo on SQLite makes one beside its file.
            command.env("ROTA_SECRET_KEY", "0123456789abcdef".repeat(4));
        }
        let child = command.spawn().expect("start rota demo");
        let mut demo = Self {
            child,
            address,
            database_url: database_url.to_owned(),
            log,
        };
        demo.wait_until_ready();
        demo
    }

    /// Polls `GET /ready` until the demo answers 200, failing early if it exits.
    fn wait_until_ready(&mut self) {
        let deadline = Instant::now() + Duration::from_secs(60);
        while Instant::now() < deadline {
            if let Some(status) = self.child.try_wait().expect("demo status") {
                panic!("rota demo exited ({status}):\n{}", self.log_text());
            }
            if ready(&self.address) {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        panic!(
            "rota demo was not ready at {} within 60 s:\n{}",
            self.address,
            self.log_text()
        );
    }

    fn log_text(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }
}

/// Whether `GET /ready` answers 200, over a plain HTTP/1.1 connection.
fn ready(address: &str) -> bool {
    let Ok(mut stream) = TcpStream::connect(address) else {
        return false;
    };
    let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
    let request = format!("GET /ready HTTP/1.1\r\nhost: {address}\r\nconnection: close\r\n\r\n");
    if stream.write_all(request.as_bytes()).is_err() {
        return false;
    }
    let mut reply = String::new();
    let _ = stream.read_to_string(&mut reply);
    reply.starts_with("HTTP/1.1 200")
}

enum Event {
    Line { stderr: bool, text: String },
    Closed,
    Exited(ExitStatus),
}

/// What one block printed.
#[derive(Default)]
struct Output {
    stdout: String,
    stderr: String,
}

/// Runs a file's script in one bash session; returns a failure message, if any.
fn run(
    file: &str,
    markdown: &str,
    shell_blocks: &[&Block],
    demo: &Demo,
    dir: &Path,
) -> Option<String> {
    use std::os::unix::process::CommandExt;

    let path = dir.join("blocks.sh");
    let substitutions = [
        (DOCUMENTED_ADDRESS, demo.address.as_str()),
        (DOCUMENTED_DATABASE, demo.database_url.as_str()),
    ];
    std::fs::write(&path, script(markdown, shell_blocks, &substitutions)).expect("write script");
    // `rota` in a block is the binary under test.
    let binary = Path::new(env!("CARGO_BIN_EXE_rota"));
    let path_var = std::env::join_paths(binary.parent().into_iter().map(Path::to_path_buf).chain(
        std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default()),
    ))
    .expect("PATH");
    let mut child = Command::new("bash")
        .arg(&path)
        .current_dir(dir)
        .env("PATH", path_var)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        // Its own process group, so that a block over time is stopped with what it started.
        .process_group(0)
        .spawn()
        .expect("start bash");
    let pid = child.id();
    let (sender, events) = mpsc::channel();
    for (stderr, stream) in [
        (
            false,
            Box::new(child.stdout.take().expect("stdout")) as Box<dyn Read + Send>,
        ),
        (true, Box::new(child.stderr.take().expect("stderr"))),
    ] {
        let sender = sender.clone();
        std::thread::spawn(move || {
            for text in BufReader::new(stream).lines().map_while(Result::ok) {
                let _ = sender.send(Event::Line { stderr, text });
            }
            let _ = sender.send(Event::Closed);
        });
    }
    std::thread::spawn(move || {
        if let Ok(status) = child.wait() {
            let _ = sender.send(Event::Exited(status));
        }
    });
    let kill_group = || {
        let _ = Command::new("kill")
            .args(["-KILL", "--", &format!("-{pid}")])
            .stderr(Stdio::null())
            .status();
    };

    let mut outputs: BTreeMap<usize, Output> = BTreeMap::new();
    let mut current = 0;
    let mut deadline = Instant::now() + BLOCK_TIMEOUT;
    let mut open_streams = 2;
    let mut status = None;
    let mut timed_out = false;
    while open_streams > 0 || status.is_none() {
        let wait = deadline.saturating_duration_since(Instant::now());
        match events.recv_timeout(wait) {
            Ok(Event::Line { stderr, text }) => {
                if let Some(line) = text.strip_prefix(MARKER) {
                    current = line.trim().parse().expect("marker line");
                    deadline = Instant::now() + BLOCK_TIMEOUT;
                    continue;
                }
                let output = outputs.entry(current).or_default();
                let stream = if stderr {
                    &mut output.stderr
                } else {
                    &mut output.stdout
                };
                stream.push_str(&text);
                stream.push('\n');
            }
            Ok(Event::Closed) => open_streams -= 1,
            Ok(Event::Exited(exit)) => {
                status = Some(exit);
                // Whatever a block left running in the background goes with the shell,
                // or it would hold the output open.
                kill_group();
                deadline = Instant::now() + Duration::from_secs(5);
            }
            Err(mpsc::RecvTimeoutError::Timeout) if status.is_none() => {
                timed_out = true;
                kill_group();
                deadline = Instant::now() + Duration::from_secs(5);
            }
            Err(_) => break,
        }
    }
    let failed = timed_out || status.is_some_and(|s| !s.success());
    if !failed {
        return None;
    }
    let block = shell_blocks
        .iter()
        .find(|block| block.line == current)
        .map(|block| block.text.join("\n"))
        .unwrap_or_default();
    let output = outputs.remove(&current).unwrap_or_default();
    let why = if timed_out {
        format!("ran longer than {} s", BLOCK_TIMEOUT.as_secs())
    } else {
        format!(
            "failed ({})",
            status.map_or("no status".into(), |s| s.to_string())
        )
    };
    Some(format!(
        "{file}:{current}: the block {why}\n--- block ---\n{block}\n--- stdout ---\n{}\n--- stderr ---\n{}",
        output.stdout.trim_end(),
        output.stderr.trim_end(),
    ))
}

fn tool_missing(tool: &str) -> bool {
    !Command::new("bash")
        .args(["-c", &format!("command -v {tool}")])
        .stdout(Stdio::null())
        .status()
        .is_ok_and(|status| status.success())
}

#[test]
fn every_shell_block_in_the_docs_runs_as_written_against_a_fresh_demo() {
    let missing: Vec<&str> = TOOLS
        .into_iter()
        .filter(|tool| tool_missing(tool))
        .collect();
    assert!(
        missing.is_empty(),
        "the docs' shell blocks need {missing:?}, which are not installed"
    );
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    let mut failures = Vec::new();
    let mut ran = 0;
    for path in documents() {
        let file = relative(&path);
        let markdown = std::fs::read_to_string(&path).expect("read the document");
        let all = blocks(&markdown);
        for block in all.iter().filter(|block| block.exempt) {
            if !block.is_shell() || exemption(block).is_none() {
                failures.push(format!(
                    "{file}:{}: marked no-test, but only a block that starts the demo, runs \
                     scripts/test or runs scripts/bench may be",
                    block.line
                ));
            }
        }
        let shell: Vec<&Block> = all
            .iter()
            .filter(|block| block.is_shell() && !block.exempt)
            .collect();
        if shell.is_empty() {
            continue;
        }
        let started = Instant::now();
        let database = runtime.block_on(scratch_database()).expect("database");
        let dir = Scratch::new(&file.replace('/', "-"));
        let demo = Demo::start(&database.url, &dir.0);
        if let Some(failure) = run(&file, &markdown, &shell, &demo, &dir.0) {
            failures.push(format!(
                "{failure}\n--- demo log (tail) ---\n{}",
                tail(&demo.log_text(), 20)
            ));
        }
        ran += shell.len();
        eprintln!(
            "{file}: {} shell blocks on {} in {:.1} s",
            shell.len(),
            engine_under_test(),
            started.elapsed().as_secs_f64()
        );
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
    assert!(ran > 0, "no shell block was found in README.md or docs/");
}

fn tail(text: &str, lines: usize) -> String {
    let all: Vec<&str> = text.lines().collect();
    all[all.len().saturating_sub(lines)..].join("\n")
}

#[test]
fn every_python_block_in_the_docs_parses() {
    for path in documents() {
        let file = relative(&path);
        let markdown = std::fs::read_to_string(&path).expect("read the document");
        for block in blocks(&markdown).iter().filter(|b| b.lang == "python") {
            let mut child = Command::new("python3")
                .args(["-c", "import ast, sys; ast.parse(sys.stdin.read())"])
                .stdin(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .expect("run python3");
            child
                .stdin
                .take()
                .expect("stdin")
                .write_all(block.text.join("\n").as_bytes())
                .expect("write");
            let output = child.wait_with_output().expect("python3");
            assert!(
                output.status.success(),
                "{file}:{}: the python block does not parse:\n{}",
                block.line,
                String::from_utf8_lossy(&output.stderr)
            );
        }
    }
}

#[test]
fn fences_are_found_with_their_line_language_and_marker() {
    let markdown =
        "# T\n\n```sh\necho one\n```\n\n~~~bash no-test\ncargo run -- demo\n~~~\n```\nplain\n```\n";
    let found = blocks(markdown);
    assert_eq!(found.len(), 3);
    assert_eq!(
        found[0],
        Block {
            line: 3,
            lang: "sh".into(),
            exempt: false,
            text: vec!["echo one".into()],
        }
    );
    assert!(found[1].exempt && found[1].is_shell());
    assert_eq!(exemption(&found[1]), Some(EXEMPT_KINDS[0].1));
    assert!(!found[2].is_shell());
}

#[test]
fn the_script_keeps_each_block_on_its_own_lines_at_the_real_address() {
    let markdown = "# T\n\n```sh\ncurl http://127.0.0.1:8080/ready\n```\n";
    let found = blocks(markdown);
    let shell: Vec<&Block> = found.iter().collect();
    let script = script(markdown, &shell, &[(DOCUMENTED_ADDRESS, "127.0.0.1:4321")]);
    let lines: Vec<&str> = script.lines().collect();
    assert!(lines[0].starts_with("set -euo pipefail"));
    assert_eq!(lines[2], "__rota_docs_block 3");
    assert_eq!(lines[3], "curl http://127.0.0.1:4321/ready");
}
