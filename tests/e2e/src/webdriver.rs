//! A small W3C WebDriver client: the dozen endpoints these tests use, over plain HTTP/1.1
//! to tauri-driver on loopback (no TLS, no async stack to build).

use serde_json::{json, Value};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::time::Duration;

/// The W3C key of an element reference in WebDriver answers.
const ELEMENT_KEY: &str = "element-6066-11e4-a52e-4f735466cecf";

/// Why a WebDriver call failed.
#[derive(Debug)]
pub struct WebDriverError(pub String);

impl std::fmt::Display for WebDriverError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for WebDriverError {}

/// What a WebDriver call returns.
pub type Result<T> = std::result::Result<T, WebDriverError>;

/// One WebDriver command; returns the answer's `value`.
///
/// tauri-driver proxies through a pooled HTTP client that does not retry a request it
/// could not send on a connection WebKitWebDriver had just closed; it then closes our
/// connection without an answer. Such a command never reached the driver, so it is sent
/// again (a few times).
fn call(port: u16, method: &str, path: &str, body: Option<&Value>) -> Result<Value> {
    let body = body.map(Value::to_string).unwrap_or_default();
    let mut attempts = 0;
    loop {
        let failed = |what: &str, e: &dyn std::fmt::Display| {
            WebDriverError(format!("{method} {path}: {what}: {e}"))
        };
        let (status, bytes) = match exchange(port, method, path, &body) {
            Ok((status, _)) if status.is_empty() && attempts < 5 => {
                attempts += 1;
                std::thread::sleep(Duration::from_millis(100));
                continue;
            }
            Ok(answer) => answer,
            Err(e) => return Err(failed("HTTP", &e)),
        };
        let answer: Value = if bytes.is_empty() {
            Value::Null
        } else {
            serde_json::from_slice(&bytes).map_err(|e| failed("JSON", &e))?
        };
        let value = answer.get("value").cloned().unwrap_or(Value::Null);
        if !status
            .split_whitespace()
            .nth(1)
            .is_some_and(|c| c.starts_with('2'))
        {
            let status = if status.is_empty() {
                "no answer"
            } else {
                status.trim()
            };
            return Err(WebDriverError(format!("{method} {path}: {status} {value}")));
        }
        return Ok(value);
    }
}

/// One HTTP/1.1 request on a new connection: the status line ("" when the connection
/// closed without an answer) and the body.
fn exchange(port: u16, method: &str, path: &str, body: &str) -> std::io::Result<(String, Vec<u8>)> {
    let mut stream = TcpStream::connect(("127.0.0.1", port))?;
    stream.set_read_timeout(Some(Duration::from_secs(60)))?;
    let request = format!(
        "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    stream.write_all(request.as_bytes())?;
    let mut reader = BufReader::new(stream);
    let mut status = String::new();
    reader.read_line(&mut status)?;
    let mut length = None;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line)? == 0 {
            break;
        }
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some((name, value)) = line.split_once(':') {
            if name.eq_ignore_ascii_case("content-length") {
                length = value.trim().parse::<usize>().ok();
            }
        }
    }
    let mut bytes = Vec::new();
    match length {
        Some(n) => {
            bytes.resize(n, 0);
            reader.read_exact(&mut bytes)?;
        }
        None => {
            reader.read_to_end(&mut bytes)?;
        }
    }
    Ok((status, bytes))
}

/// A WebDriver session: one running app.
pub struct Session {
    port: u16,
    id: String,
}

/// A reference to an element of the page.
#[derive(Clone, Debug)]
pub struct Element(String);

impl Session {
    /// Starts a session (which starts the app) with these capabilities.
    pub fn start(port: u16, capabilities: Value) -> Result<Session> {
        let body = json!({ "capabilities": { "alwaysMatch": capabilities } });
        let value = call(port, "POST", "/session", Some(&body))?;
        let id = value["sessionId"]
            .as_str()
            .ok_or_else(|| WebDriverError(format!("no session id in {value}")))?
            .to_string();
        Ok(Session { port, id })
    }

    fn call(&self, method: &str, path: &str, body: Option<&Value>) -> Result<Value> {
        call(
            self.port,
            method,
            &format!("/session/{}{path}", self.id),
            body,
        )
    }

    /// Ends the session, which closes the app.
    pub fn end(self) -> Result<()> {
        self.call("DELETE", "", None).map(|_| ())
    }

    /// Every element matching a CSS selector, in document order.
    pub fn find_all(&self, css: &str) -> Result<Vec<Element>> {
        let body = json!({ "using": "css selector", "value": css });
        let value = self.call("POST", "/elements", Some(&body))?;
        Ok(value
            .as_array()
            .map(|all| {
                all.iter()
                    .filter_map(|e| e[ELEMENT_KEY].as_str())
                    .map(|id| Element(id.to_string()))
                    .collect()
            })
            .unwrap_or_default())
    }

    /// Clicks an element.
    pub fn click(&self, element: &Element) -> Result<()> {
        self.call(
            "POST",
            &format!("/element/{}/click", element.0),
            Some(&json!({})),
        )
        .map(|_| ())
    }

    /// Types into an element (WebDriver key codes such as `\u{E007}` for Enter included).
    pub fn send_keys(&self, element: &Element, text: &str) -> Result<()> {
        let body = json!({ "text": text });
        self.call(
            "POST",
            &format!("/element/{}/value", element.0),
            Some(&body),
        )
        .map(|_| ())
    }

    /// An element's visible text.
    pub fn text(&self, element: &Element) -> Result<String> {
        let value = self.call("GET", &format!("/element/{}/text", element.0), None)?;
        Ok(value.as_str().unwrap_or_default().to_string())
    }

    /// An element's DOM property (`value`, `checked`, ...).
    pub fn property(&self, element: &Element, name: &str) -> Result<Value> {
        self.call(
            "GET",
            &format!("/element/{}/property/{name}", element.0),
            None,
        )
    }

    /// Runs JavaScript in the page; `arguments` are passed to it.
    pub fn execute(&self, script: &str, arguments: Value) -> Result<Value> {
        let body = json!({ "script": script, "args": arguments });
        self.call("POST", "/execute/sync", Some(&body))
    }

    /// Runs asynchronous JavaScript; the last argument is the callback that answers.
    pub fn execute_async(&self, script: &str, arguments: Value) -> Result<Value> {
        let body = json!({ "script": script, "args": arguments });
        self.call("POST", "/execute/async", Some(&body))
    }

    /// Presses keys on whatever has the focus (key actions: the page sees real key events),
    /// each character of `keys` down and up in turn; WebDriver key codes such as `\u{E004}`
    /// (Tab) or `\u{E007}` (Enter) included.
    pub fn press_keys(&self, keys: &str) -> Result<()> {
        let actions: Vec<Value> = keys
            .chars()
            .flat_map(|key| {
                let key = key.to_string();
                [
                    json!({ "type": "keyDown", "value": key }),
                    json!({ "type": "keyUp", "value": key }),
                ]
            })
            .collect();
        let body = json!({ "actions": [{ "type": "key", "id": "keyboard", "actions": actions }] });
        self.call("POST", "/actions", Some(&body)).map(|_| ())
    }

    /// Presses `key` while holding `modifier` (e.g. Control `\u{E009}` and `b`).
    pub fn press_chord(&self, modifier: char, key: char) -> Result<()> {
        let (modifier, key) = (modifier.to_string(), key.to_string());
        let actions = json!([
            { "type": "keyDown", "value": modifier },
            { "type": "keyDown", "value": key },
            { "type": "keyUp", "value": key },
            { "type": "keyUp", "value": modifier },
        ]);
        let body = json!({ "actions": [{ "type": "key", "id": "keyboard", "actions": actions }] });
        self.call("POST", "/actions", Some(&body)).map(|_| ())
    }

    /// The `data-testid` of the element that has the focus, if it has one.
    pub fn focused_testid(&self) -> Result<Option<String>> {
        let value = self.execute(
            "const e = document.activeElement; return e ? e.getAttribute('data-testid') : null;",
            json!([]),
        )?;
        Ok(value.as_str().map(str::to_string))
    }

    /// Right-clicks an element (pointer actions: the page sees a real `contextmenu`).
    pub fn context_click(&self, element: &Element) -> Result<()> {
        let origin = json!({ ELEMENT_KEY: element.0 });
        let body = json!({ "actions": [{
            "type": "pointer",
            "id": "mouse",
            "parameters": { "pointerType": "mouse" },
            "actions": [
                { "type": "pointerMove", "duration": 0, "origin": origin, "x": 0, "y": 0 },
                { "type": "pointerDown", "button": 2 },
                { "type": "pointerUp", "button": 2 }
            ]
        }]});
        self.call("POST", "/actions", Some(&body)).map(|_| ())
    }
}

impl Element {
    /// The element as a script argument.
    pub fn to_json(&self) -> Value {
        json!({ ELEMENT_KEY: self.0 })
    }
}
