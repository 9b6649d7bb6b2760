//! `nginx -t` / `nginx -T` verdicts (`syntax is ok`, `test is successful`, `test failed`) and the
//! console output of nginx commands (`nginx: [emerg] ...` from `nginx -t`, `nginx -s reload`,
//! `service nginx configtest`, a start in the foreground), also for OpenResty and Angie.
//!
//! Console messages are read by the error-log line parser
//! ([`crate::parse::nginx_error_log::parse_line`]), so they carry the same classes and fields
//! as log lines. When nginx has opened its error log, `nginx -t` prints later messages in the
//! log's file form (with a timestamp); those are read the same way.

use crate::facts::{ConfigTest, Fact, FactAt};
use crate::kind::Kind;
use crate::parse::nginx_error_log::parse_line;
use crate::parse::registry::{KindSpec, no_file, share_of_lines};
use crate::parse::{ParseContext, Parsed};
use crate::span::lines;

/// How `nginx -t` output is recognised and parsed.
pub const SPEC: KindSpec = KindSpec {
    kind: Kind::NginxTest,
    embeds: &[Kind::NginxErrorLog],
    command: is_test_command,
    file: no_file,
    line: Some(is_test_line),
    block: block_score,
    parse,
};

/// The share of verdict and console lines. Console messages without a verdict score a little
/// lower, so that they stay with an error log they sit in (the facts are the same either way).
fn block_score(lines: &[&str]) -> f32 {
    let share = share_of_lines(lines, is_test_line);
    if lines.iter().any(|l| verdict(l).is_some()) {
        share
    } else {
        share * 0.95
    }
}

/// Programs that are nginx (the binary's name, or an init script named after it).
/// The length of the longest name [`is_nginx_program`] knows.
const LONGEST_PROGRAM: usize = "freenginx".len();

pub(crate) fn is_nginx_program(program: &str) -> bool {
    matches!(
        program,
        "nginx" | "nginx-debug" | "openresty" | "angie" | "tengine" | "freenginx"
    )
}

/// True when the arguments ask only for the version (`-v`, `-V`): flags may be combined (`-tq`).
pub(crate) fn is_version_query(args: &[&str]) -> bool {
    let flags: Vec<&str> = args
        .iter()
        .filter(|a| a.starts_with('-') && !a.starts_with("--"))
        .map(|a| &a[1..])
        .collect();
    flags.iter().any(|f| f.contains(['v', 'V'])) && !flags.iter().any(|f| f.contains(['t', 'T', 's']))
}

/// `nginx -t`, `nginx -T`, `nginx -s reload`, `nginx` (foreground start), `openresty -t`,
/// `/etc/init.d/nginx configtest`, `service nginx configtest`. Other init-script actions
/// (`start`, `reload`) print mostly the init system's words; their nginx lines are recognised
/// by content.
fn is_test_command(program: &str, args: &[&str]) -> bool {
    let is_test_action = |action: &str| matches!(action, "configtest" | "testconfig" | "checkconfig");
    if is_nginx_program(program) {
        return match args.first() {
            None => true,
            Some(first) if first.starts_with('-') => !is_version_query(args),
            Some(action) => is_test_action(action),
        };
    }
    matches!(program, "service" | "rc-service")
        && args.first().is_some_and(|unit| is_nginx_program(unit))
        && args.get(1).is_some_and(|action| is_test_action(action))
}

/// The verdict of a configuration test line.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Verdict {
    /// `the configuration file X syntax is ok`
    SyntaxOk,
    /// `configuration file X test is successful`
    Successful,
    /// `configuration file X test failed`
    Failed,
}

/// The `nginx: ` (or `openresty: `, `angie: `...) prefix, and the rest of the line.
fn strip_program(line: &str) -> Option<&str> {
    let t = line.trim();
    // The program's name is short: its `: ` is looked for only where it can be.
    let head = t.get(..t.len().min(LONGEST_PROGRAM + 2)).unwrap_or(t);
    let colon = head.find(": ")?;
    is_nginx_program(&t[..colon]).then(|| &t[colon + 2..])
}

/// Reads a verdict line: the verdict and the tested file (empty when the line names none).
fn verdict(line: &str) -> Option<(Verdict, &str)> {
    if let Some(verdict) = init_script_verdict(line) {
        return Some((verdict, ""));
    }
    let rest = strip_program(line)?;
    if let Some(file) = rest
        .strip_prefix("the configuration file ")
        .and_then(|r| r.strip_suffix(" syntax is ok"))
    {
        return Some((Verdict::SyntaxOk, file));
    }
    let rest = rest.strip_prefix("configuration file ")?;
    if let Some(file) = rest.strip_suffix(" test is successful") {
        return Some((Verdict::Successful, file));
    }
    rest.strip_suffix(" test failed").map(|file| (Verdict::Failed, file))
}

/// Debian's init script: ` * Testing nginx configuration   [ OK ]` / `[fail]`, or
/// `Testing nginx configuration: nginx.` / `...fail!`.
fn init_script_verdict(line: &str) -> Option<Verdict> {
    let t = line.trim().trim_start_matches("* ");
    let rest = t.strip_prefix("Testing nginx configuration")?;
    let rest = rest.trim_end().to_ascii_lowercase();
    if rest.ends_with("fail]") || rest.ends_with("fail!") || rest.ends_with("failed") || rest.ends_with("failed!") {
        Some(Verdict::Failed)
    } else if rest.ends_with("[ ok ]") || rest.ends_with(": nginx.") || rest.ends_with("done.") {
        Some(Verdict::Successful)
    } else {
        None
    }
}

/// A console message: `nginx: [emerg] ...` (`angie:` and `tengine:` read like `nginx:`).
fn console_event(line: &str) -> Option<crate::facts::ErrorEvent> {
    let t = line.trim();
    let rest = strip_program(t)?;
    if !rest.starts_with('[') {
        return None;
    }
    if t.starts_with("nginx: ") || t.starts_with("openresty: ") {
        parse_line(t)
    } else {
        parse_line(&format!("nginx: {rest}"))
    }
}

/// Lines that on their own are `nginx -t` output: a verdict or a console message.
pub fn is_test_line(line: &str) -> bool {
    verdict(line).is_some() || console_event(line).is_some()
}

/// Parses `nginx -t`-style output. `syntax is ok` is only the first half of a verdict (nginx
/// can still fail afterwards: pid file, listen sockets, logs), so it is read but gives no fact;
/// `test is successful` / `test failed` give the `ConfigTest`.
pub fn parse(cx: &ParseContext<'_>) -> Parsed {
    let mut out = Parsed::default();
    for line in lines(cx.text, cx.base) {
        if line.text.trim().is_empty() {
            continue;
        }
        if let Some((v, file)) = verdict(line.text) {
            if v == Verdict::SyntaxOk {
                continue;
            }
            out.facts.push(FactAt {
                span: line.span,
                fact: Fact::ConfigTest(ConfigTest {
                    ok: v != Verdict::Failed,
                    file: file.to_string(),
                }),
            });
        } else if let Some(event) = console_event(line.text).or_else(|| parse_line(line.text)) {
            out.facts.push(FactAt {
                span: line.span,
                fact: Fact::ErrorEvent(Box::new(event)),
            });
        } else {
            out.unread.push(line.span);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::facts::{Level, LogForm, MessageClass};

    fn facts(text: &str) -> Parsed {
        parse(&ParseContext::new(text, 0))
    }

    #[test]
    fn success_is_one_fact() {
        let parsed = facts(
            "nginx: the configuration file /etc/nginx/nginx.conf syntax is ok\nnginx: configuration file /etc/nginx/nginx.conf test is successful\n",
        );
        assert!(parsed.unread.is_empty());
        assert_eq!(parsed.facts.len(), 1);
        assert_eq!(
            parsed.facts[0].fact,
            Fact::ConfigTest(ConfigTest {
                ok: true,
                file: "/etc/nginx/nginx.conf".into()
            })
        );
        assert_eq!(parsed.facts[0].span.start, 65);
    }

    #[test]
    fn failure_after_syntax_ok_keeps_the_messages() {
        let text = "nginx: [alert] could not open error log file: open() \"/var/log/nginx/error.log\" failed (13: Permission denied)\nnginx: the configuration file /etc/nginx/nginx.conf syntax is ok\n2026/11/21 10:00:00 [emerg] 4242#4242: open() \"/run/nginx.pid\" failed (13: Permission denied)\nnginx: configuration file /etc/nginx/nginx.conf test failed\n";
        let parsed = facts(text);
        assert!(parsed.unread.is_empty());
        let kinds: Vec<&str> = parsed.facts.iter().map(|f| f.fact.type_id()).collect();
        assert_eq!(kinds, ["error-event", "error-event", "config-test"]);
        let Fact::ErrorEvent(alert) = &parsed.facts[0].fact else {
            panic!()
        };
        assert_eq!((alert.level, alert.form), (Some(Level::Alert), Some(LogForm::Console)));
        let Fact::ErrorEvent(pid) = &parsed.facts[1].fact else {
            panic!()
        };
        assert_eq!((pid.errno, pid.form), (Some(13), Some(LogForm::File)));
        assert!(matches!(&parsed.facts[2].fact, Fact::ConfigTest(t) if !t.ok));
    }

    #[test]
    fn reads_console_errors_of_other_commands() {
        let parsed = facts(
            "nginx: [emerg] unknown directive \"proxy_pas\" in /etc/nginx/sites-enabled/default:23\nangie: [emerg] host not found in upstream \"app:3000\" in /etc/angie/http.d/default.conf:12\nopenresty: [error] open() \"/usr/local/openresty/nginx/logs/nginx.pid\" failed (2: No such file or directory)\nJob for nginx.service failed.\n",
        );
        let Fact::ErrorEvent(unknown) = &parsed.facts[0].fact else {
            panic!()
        };
        assert_eq!(unknown.class, MessageClass::UnknownDirective);
        assert_eq!(unknown.config_line, Some(23));
        let Fact::ErrorEvent(host) = &parsed.facts[1].fact else {
            panic!()
        };
        assert_eq!(host.class, MessageClass::HostNotFoundInUpstream);
        let Fact::ErrorEvent(pid) = &parsed.facts[2].fact else {
            panic!()
        };
        assert_eq!(pid.errno, Some(2));
        assert_eq!(parsed.unread.len(), 1);
        let lone = facts("nginx: the configuration file /etc/nginx/nginx.conf syntax is ok");
        assert!(lone.facts.is_empty() && lone.unread.is_empty());
        let init =
            facts(" * Testing nginx configuration                    [fail]\nTesting nginx configuration: nginx.\n");
        assert!(matches!(&init.facts[0].fact, Fact::ConfigTest(t) if !t.ok && t.file.is_empty()));
        assert!(matches!(&init.facts[1].fact, Fact::ConfigTest(t) if t.ok));
    }

    #[test]
    fn recognises_commands_and_lines() {
        assert!(is_test_command("nginx", &["-t"]));
        assert!(is_test_command("nginx", &["-T"]));
        assert!(is_test_command("nginx", &["-tq", "-c", "/etc/nginx/nginx.conf"]));
        assert!(is_test_command("nginx", &["-s", "reload"]));
        assert!(is_test_command("nginx", &["configtest"]));
        assert!(is_test_command("openresty", &["-t"]));
        assert!(is_test_command("service", &["nginx", "configtest"]));
        assert!(!is_test_command("service", &["nginx", "status"]));
        assert!(!is_test_command("nginx", &["start"]));
        assert!(!is_test_command("nginx", &["-V"]));
        assert!(!is_test_command("nginx", &["-v"]));
        assert!(is_test_line(
            "nginx: configuration file /etc/nginx/nginx.conf test failed"
        ));
        assert!(is_test_line(
            "nginx: [warn] conflicting server name \"a\" on 0.0.0.0:80, ignored"
        ));
        assert!(!is_test_line(
            "Apr 23 13:36:09 h nginx[967563]: nginx: [emerg] unknown \"x\" variable"
        ));
        assert!(!is_test_line("nginx: master process /usr/sbin/nginx"));
    }
}
