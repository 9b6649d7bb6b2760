//! Small helpers to read the arguments of the command that produced a piece (options with
//! values, positional words), shared by parsers whose output depends on the command line
//! (`kubectl get pods -n web`, `docker ps --format ...`).

/// The positional words of `args`: options (`-x`, `--long`, `--long=value`) are skipped, and
/// so is the value after an option listed in `with_value` (written without `=`).
pub fn positional<'a>(args: &[&'a str], with_value: &[&str]) -> Vec<&'a str> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < args.len() {
        let arg = args[i];
        if arg == "--" {
            out.extend(args[i + 1..].iter().copied());
            break;
        }
        if arg.starts_with('-') && arg.len() > 1 {
            if !arg.contains('=') && with_value.contains(&arg) {
                i += 1;
            }
        } else {
            out.push(arg);
        }
        i += 1;
    }
    out
}

/// The value of the first option among `names`: `-n web`, `--namespace web`,
/// `--namespace=web`, `-nweb` (one-letter options only).
pub fn option_value<'a>(args: &[&'a str], names: &[&str]) -> Option<&'a str> {
    let mut i = 0;
    while i < args.len() {
        let arg = args[i];
        for name in names {
            if arg == *name {
                return args.get(i + 1).copied();
            }
            if let Some(value) = arg.strip_prefix(name) {
                if let Some(v) = value.strip_prefix('=') {
                    return Some(v);
                }
                if name.len() == 2 && !name.starts_with("--") && !value.is_empty() {
                    return Some(value);
                }
            }
        }
        i += 1;
    }
    None
}

/// True when one of `flags` is given (`-A`, `--all-namespaces`).
pub fn has_flag(args: &[&str], flags: &[&str]) -> bool {
    args.iter().any(|a| flags.contains(a))
}

/// Splits a command line into words the way a shell would for simple cases: whitespace
/// separates, single and double quotes group (quotes removed). Stops at the first `|`, `;`,
/// `&&` outside quotes. The first word is the program, with `sudo` and the like not removed.
pub fn shell_words(command: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut current = String::new();
    let mut has_word = false;
    let mut quote: Option<char> = None;
    let mut chars = command.chars().peekable();
    while let Some(c) = chars.next() {
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => current.push(c),
            None => match c {
                '\'' | '"' => {
                    quote = Some(c);
                    has_word = true;
                }
                '|' | ';' => break,
                '&' if chars.peek() == Some(&'&') => break,
                c if c.is_whitespace() => {
                    if has_word {
                        words.push(std::mem::take(&mut current));
                        has_word = false;
                    }
                }
                c => {
                    current.push(c);
                    has_word = true;
                }
            },
        }
    }
    if has_word {
        words.push(current);
    }
    words
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_options_and_positionals() {
        let args = ["-n", "web", "get", "pods", "-o", "wide", "--selector=app=x"];
        assert_eq!(positional(&args, &["-n", "-o"]), vec!["get", "pods"]);
        assert_eq!(option_value(&args, &["-n", "--namespace"]), Some("web"));
        assert_eq!(
            option_value(&["--namespace=prod"], &["-n", "--namespace"]),
            Some("prod")
        );
        assert_eq!(option_value(&["-nprod"], &["-n"]), Some("prod"));
        assert_eq!(option_value(&["get"], &["-n"]), None);
        assert!(has_flag(&["get", "-A"], &["-A"]));
    }

    #[test]
    fn splits_shell_words() {
        assert_eq!(
            shell_words("docker ps --format 'table {{.Names}}\\t{{.Status}}' | grep web"),
            vec!["docker", "ps", "--format", "table {{.Names}}\\t{{.Status}}"]
        );
        assert_eq!(shell_words("a \"b c\"d ''"), vec!["a", "b cd", ""]);
    }
}
