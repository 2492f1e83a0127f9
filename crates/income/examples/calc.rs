//! `cargo run -p income --example calc < input.json`: the engine on stdin, for development.
// A development tool on stdin/stdout.
#![allow(clippy::disallowed_methods, clippy::disallowed_macros)]
use std::io::Read;

fn main() {
    let mut s = String::new();
    std::io::stdin().read_to_string(&mut s).expect("stdin");
    let book = income::RuleBook::embedded().expect("rules");
    let input = match income::CalcInput::from_json(&s) {
        Ok(i) => i,
        Err(e) => {
            println!("{}", serde_json::to_string_pretty(&e).expect("json"));
            return;
        }
    };
    let curve = std::env::args().any(|a| a == "--curve");
    let out = if curve {
        book.curve(&input)
            .map(|c| serde_json::to_string_pretty(&c).expect("json"))
    } else {
        book.calculate(&input)
            .map(|c| serde_json::to_string_pretty(&c).expect("json"))
    };
    match out {
        Ok(j) => println!("{j}"),
        Err(e) => println!("{}", serde_json::to_string_pretty(&e).expect("json")),
    }
}
