//! The configuration file: TOML, named by `--config` or `ROTA_CONFIG`, holding any server
//! setting under its flag's name in snake_case (`--api-rate-limit` is `api_rate_limit`;
//! the repeatable `--trusted-proxy` is the list `trusted_proxies`). Layers, weakest first:
//! built-in defaults, the file, `ROTA_…` environment variables, flags. The file's values
//! become the defaults of the flags they name, so clap parses and checks them exactly as it
//! does a flag, and an environment variable or a flag still wins. An unknown key is an
//! error that names it. `rota default-config` prints [`EXAMPLE`].

use std::ffi::OsString;
use std::path::{Path, PathBuf};

use anyhow::Context;
use rota_core::secret::Secret;
use serde::Deserialize;

/// A commented example with every key at its default: saved and passed with `--config`,
/// the server starts exactly as without it.
pub const EXAMPLE: &str = include_str!("default-config.toml");

/// The subcommands the file configures: the server, the demo, and the commands that open
/// its database. Not `bench`, which must be pointed at an empty database on purpose.
const CONFIGURED: [&str; 4] = ["serve", "demo", "migrate", "admin"];

/// Every key the file may hold.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConfigFile {
    database_url: Option<String>,
    sqlite_synchronous: Option<String>,
    bind: Option<String>,
    disable_signup: Option<bool>,
    trusted_proxies: Option<Vec<String>>,
    allow_private_webhooks: Option<bool>,
    api_rate_limit: Option<String>,
    token_rate_limit: Option<String>,
    login_rate_limit: Option<String>,
    secret_key: Option<Secret>,
    smtp_url: Option<Secret>,
    mail_from: Option<String>,
    public_url: Option<String>,
}

/// One setting from the file: the clap argument it defaults, its values, and whether they
/// are secret (never shown as a default in `--help`).
struct Setting {
    id: &'static str,
    values: Vec<String>,
    secret: bool,
}

impl ConfigFile {
    /// Reads and checks the file at `path`.
    pub fn load(path: &Path) -> anyhow::Result<Self> {
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("reading the configuration file {}", path.display()))?;
        Self::parse(&text).with_context(|| format!("in the configuration file {}", path.display()))
    }

    fn parse(text: &str) -> anyhow::Result<Self> {
        Ok(toml::from_str(text)?)
    }

    fn settings(&self) -> Vec<Setting> {
        let plain = |id, value: &Option<String>| {
            value.as_ref().map(|value| Setting {
                id,
                values: vec![value.clone()],
                secret: false,
            })
        };
        let flag = |id, value: Option<bool>| {
            value.map(|value| Setting {
                id,
                values: vec![value.to_string()],
                secret: false,
            })
        };
        let secret = |id, value: &Option<Secret>| {
            value.as_ref().map(|value| Setting {
                id,
                values: vec![value.expose().to_owned()],
                secret: true,
            })
        };
        [
            // A database URL may hold a password: never shown as a default either.
            self.database_url.as_ref().map(|value| Setting {
                id: "database_url",
                values: vec![value.clone()],
                secret: true,
            }),
            plain("sqlite_synchronous", &self.sqlite_synchronous),
            plain("bind", &self.bind),
            flag("disable_signup", self.disable_signup),
            self.trusted_proxies.as_ref().map(|values| Setting {
                id: "trusted_proxies",
                values: values.clone(),
                secret: false,
            }),
            flag("allow_private_webhooks", self.allow_private_webhooks),
            plain("api_rate_limit", &self.api_rate_limit),
            plain("token_rate_limit", &self.token_rate_limit),
            plain("login_rate_limit", &self.login_rate_limit),
            secret("secret_key", &self.secret_key),
            secret("smtp_url", &self.smtp_url),
            plain("mail_from", &self.mail_from),
            plain("public_url", &self.public_url),
        ]
        .into_iter()
        .flatten()
        .collect()
    }

    /// `command` with the file's values as the defaults of the arguments they name.
    pub fn apply(&self, mut command: clap::Command) -> clap::Command {
        let settings = self.settings();
        for name in CONFIGURED {
            command = command.mut_subcommand(name, |mut sub| {
                for setting in &settings {
                    if sub.get_arguments().any(|arg| arg.get_id() == setting.id) {
                        sub = sub.mut_arg(setting.id, |arg| {
                            arg.default_values(setting.values.clone())
                                .hide_default_value(setting.secret)
                        });
                    }
                }
                sub
            });
        }
        command
    }
}

/// The configuration file named on the command line (`--config FILE`, `--config=FILE`),
/// else by `ROTA_CONFIG`. Read before clap parses the rest, whose defaults it sets.
pub fn path(args: &[OsString], env: Option<OsString>) -> Option<PathBuf> {
    let mut args = args.iter().take_while(|arg| *arg != "--");
    while let Some(arg) = args.next() {
        if arg == "--config" {
            return args.next().map(PathBuf::from);
        }
        if let Some(value) = arg.to_str().and_then(|arg| arg.strip_prefix("--config=")) {
            return Some(PathBuf::from(value));
        }
    }
    env.filter(|value| !value.is_empty()).map(PathBuf::from)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(list: &[&str]) -> Vec<OsString> {
        list.iter().map(OsString::from).collect()
    }

    #[test]
    fn the_file_is_named_by_the_flag_before_the_environment() {
        let env = || Some(OsString::from("/etc/rota/env.toml"));
        assert_eq!(
            path(&args(&["rota", "serve", "--config", "a.toml"]), env()),
            Some(PathBuf::from("a.toml"))
        );
        assert_eq!(
            path(&args(&["rota", "--config=b.toml", "serve"]), env()),
            Some(PathBuf::from("b.toml"))
        );
        assert_eq!(
            path(&args(&["rota", "serve"]), env()),
            Some(PathBuf::from("/etc/rota/env.toml"))
        );
        assert_eq!(path(&args(&["rota", "serve"]), Some(OsString::new())), None);
        assert_eq!(
            path(&args(&["rota", "--", "--config", "c.toml"]), None),
            None
        );
    }

    #[test]
    fn an_unknown_key_is_refused_by_name() {
        let error = ConfigFile::parse("bind = \"127.0.0.1:9000\"\nbnid = \"x\"\n")
            .expect_err("unknown key");
        assert!(format!("{error:#}").contains("bnid"), "{error:#}");
    }

    #[test]
    fn a_secret_in_the_file_never_shows_in_debug() {
        let file = ConfigFile::parse("smtp_url = \"smtp://u:hunter2@mail\"\nsecret_key = \"k\"\n")
            .expect("parses");
        let shown = format!("{file:?}");
        assert!(!shown.contains("hunter2"), "{shown}");
    }

    /// Every key of the example, uncommented, parses, and holds the flag's own default: the
    /// example documents the defaults rather than changing them.
    #[test]
    fn the_example_names_every_key_at_its_default() {
        let example = ConfigFile::parse(EXAMPLE).expect("the example parses");
        assert!(example.settings().is_empty(), "the example sets nothing");
        let uncommented: String = EXAMPLE
            .lines()
            .filter_map(|line| line.strip_prefix("# "))
            .filter(|line| line.contains(" = "))
            .map(|line| format!("{line}\n"))
            .collect();
        let file = ConfigFile::parse(&uncommented).expect("the keys parse");
        let settings = file.settings();
        assert_eq!(settings.len(), 13, "every key is in the example");
        let mut command = <crate::Cli as clap::CommandFactory>::command();
        command.build();
        let serve = command.find_subcommand("serve").expect("serve");
        for setting in settings {
            let arg = serve
                .get_arguments()
                .find(|arg| arg.get_id() == setting.id)
                .expect("a key names a flag of serve");
            let defaults: Vec<String> = arg
                .get_default_values()
                .iter()
                .map(|value| value.to_string_lossy().into_owned())
                .collect();
            // A setting without a default (a secret, the proxies) shows an example value.
            if !defaults.is_empty() {
                assert_eq!(defaults, setting.values, "{}", setting.id);
            }
        }
    }
}
