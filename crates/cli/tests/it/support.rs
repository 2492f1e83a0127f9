//! Starting the real binary on a fresh data directory and talking to it.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

pub fn binary() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_urenwinst"))
}

/// A fresh data directory, removed on drop.
pub struct DataDir(tempfile::TempDir);

impl DataDir {
    pub fn new() -> DataDir {
        DataDir(tempfile::tempdir().expect("temporary directory"))
    }
    pub fn path(&self) -> &Path {
        self.0.path()
    }
}

/// Runs `urenwinst ARGS` with the data directory and returns its output.
pub fn run(data: &DataDir, args: &[&str]) -> Output {
    Command::new(binary())
        .args(args)
        .env("URENWINST_DATA_DIR", data.path())
        .env_remove("DATABASE_URL")
        .env("URENWINST_LOG", "warn")
        .output()
        .expect("run urenwinst")
}

/// Runs and expects success; returns stdout.
pub fn run_ok(data: &DataDir, args: &[&str]) -> String {
    let out = run(data, args);
    assert!(
        out.status.success(),
        "urenwinst {args:?} failed: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// A free port on the loopback interface.
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// A running `urenwinst serve`, killed on drop.
pub struct Server {
    pub child: Child,
    pub port: u16,
}

impl Server {
    pub fn start(data: &DataDir, extra: &[&str]) -> Server {
        let port = free_port();
        let addr = format!("127.0.0.1:{port}");
        let mut args = vec!["serve", "--addr", &addr];
        args.extend_from_slice(extra);
        let child = Command::new(binary())
            .args(&args)
            .env("URENWINST_DATA_DIR", data.path())
            .env_remove("DATABASE_URL")
            .env("URENWINST_LOG", "warn")
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("start server");
        let server = Server { child, port };
        server.wait_healthy(Duration::from_secs(60));
        server
    }

    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    pub fn wait_healthy(&self, limit: Duration) {
        let start = Instant::now();
        while start.elapsed() < limit {
            if let Ok((200, _)) = http_get(self.port, "/healthz") {
                return;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        panic!("server on port {} did not become healthy", self.port);
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A minimal HTTP/1.1 GET; returns status and body.
pub fn http_get(port: u16, path: &str) -> std::io::Result<(u16, String)> {
    let mut s = TcpStream::connect(("127.0.0.1", port))?;
    s.set_read_timeout(Some(Duration::from_secs(10)))?;
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n"
    )?;
    let mut text = String::new();
    s.read_to_string(&mut text)?;
    let status = text
        .split_whitespace()
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    let body = text
        .split_once("\r\n\r\n")
        .map(|(_, b)| b.to_string())
        .unwrap_or_default();
    Ok((status, body))
}
