//! The `rota` command: serve the API, run the demo, migrate, operator tasks, and the
//! benchmark.

mod admin;
mod bench;
mod config;

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use clap::{CommandFactory, FromArgMatches, Parser, Subcommand};
use rota_core::Db;
use rota_core::access::limits::{Limits, Quota};
use rota_core::access::sweep;
use rota_core::db::{Synchronous, sqlite_file};
use rota_core::mail::worker::{self, Mailer};
use rota_core::sealing::SecretKey;
use rota_core::secret::Secret;
use rota_core::webhooks::WebhookSettings;
use rota_core::webhooks::worker::{self as webhook_worker, Dispatcher};
use rota_http::{AppState, HttpConfig};

#[derive(Parser)]
#[command(
    name = "rota",
    version,
    about = "Self-hosted workforce and leave management"
)]
struct Cli {
    /// A TOML configuration file (`rota default-config` prints an example). Its settings
    /// sit under environment variables and flags, which override them.
    #[arg(long, env = "ROTA_CONFIG", global = true, value_name = "FILE")]
    config: Option<std::path::PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(clap::Args, Clone)]
struct DatabaseArgs {
    /// sqlite://path.db (created if absent) or postgres://user@host/db.
    /// Global, so that it may follow an operator task's own flags
    /// (`rota admin create-company … --database-url URL`).
    #[arg(
        long,
        env = "ROTA_DATABASE_URL",
        default_value = "sqlite://rota.db",
        global = true
    )]
    database_url: String,
    #[command(flatten)]
    durability: DurabilityArgs,
}

/// How SQLite syncs commits; shared by every command that opens a database.
#[derive(clap::Args, Clone, Copy)]
pub(crate) struct DurabilityArgs {
    /// SQLite only: `full` (default) syncs every commit to disk before answering, so an
    /// acknowledged change survives a power cut; `normal` is faster but a power cut may
    /// undo the last acknowledged commits (the file stays consistent).
    #[arg(
        long,
        env = "ROTA_SQLITE_SYNCHRONOUS",
        default_value = "full",
        global = true
    )]
    sqlite_synchronous: Synchronous,
}

#[derive(clap::Args, Clone)]
struct ServeArgs {
    /// Address to listen on.
    #[arg(long, env = "ROTA_BIND", default_value = "127.0.0.1:8080")]
    bind: SocketAddr,
    /// Refuse `POST /api/v1/companies` (company sign-up).
    #[arg(long, env = "ROTA_DISABLE_SIGNUP")]
    disable_signup: bool,
    /// A proxy (address or CIDR range) whose X-Forwarded-For is believed; repeat, or
    /// separate with commas in the environment. From any other peer the header is ignored.
    #[arg(
        long = "trusted-proxy",
        env = "ROTA_TRUSTED_PROXIES",
        value_delimiter = ','
    )]
    trusted_proxies: Vec<ipnet::IpNet>,
    /// Let webhooks call loopback, private and link-local addresses (receivers on this
    /// host or network). Off by default: such URLs are refused when saved and when sent.
    #[arg(long, env = "ROTA_WEBHOOKS_ALLOW_PRIVATE")]
    allow_private_webhooks: bool,
    /// Calls per minute/burst for each API client and key.
    #[arg(long, env = "ROTA_API_RATE_LIMIT", default_value = "600/100")]
    api_rate_limit: Quota,
    /// Requests per minute/burst to the token endpoint, per App ID.
    #[arg(long, env = "ROTA_TOKEN_RATE_LIMIT", default_value = "10/10")]
    token_rate_limit: Quota,
    /// Sign-in attempts per minute/burst, per client address.
    #[arg(long, env = "ROTA_LOGIN_RATE_LIMIT", default_value = "20/20")]
    login_rate_limit: Quota,
    /// The server's secret key, which seals MFA (TOTP) seeds and webhook signing secrets
    /// at rest: 32 bytes as base64 or hex (`openssl rand -base64 32`). Without it, a SQLite
    /// server keeps a generated key in a file beside the database (`<database>.key`); a
    /// PostgreSQL server offers no MFA enrolment and stores webhook secrets as issued.
    #[arg(long, env = "ROTA_SECRET_KEY", hide_env_values = true)]
    secret_key: Option<Secret>,
    #[command(flatten)]
    mail: MailArgs,
}

#[derive(clap::Args, Clone)]
struct MailArgs {
    /// SMTP relay for e-mail: smtp://[user:password@]host[:port] (plain SMTP, no TLS).
    /// Without it, e-mail stays queued in the outbox until a server with one runs.
    /// Its value is never shown in `--help`: it may hold a password.
    #[arg(long, env = "ROTA_SMTP_URL", hide_env_values = true)]
    smtp_url: Option<Secret>,
    /// The From of every e-mail: an address, or `Name <address>`.
    #[arg(long, env = "ROTA_MAIL_FROM", default_value = "Rota <rota@localhost>")]
    mail_from: String,
    /// The address people reach this server's pages at (`https://rota.example.com`), which
    /// links in e-mail (invitations, password resets, approvals) point at. Default: the
    /// bind address over http.
    #[arg(long, env = "ROTA_PUBLIC_URL")]
    public_url: Option<String>,
}

/// How often the mail worker looks for due mail when it has nothing to send.
const MAIL_POLL: Duration = Duration::from_secs(5);
/// How often the webhook worker looks for due deliveries when it has nothing to send.
const WEBHOOK_POLL: Duration = Duration::from_secs(2);

/// How often expired tokens, nonces and refilled rate-limit buckets are cleared out.
const SWEEP_EVERY: Duration = Duration::from_secs(60);

#[derive(Subcommand)]
enum Command {
    /// Run the server; migrations run first.
    Serve {
        #[command(flatten)]
        database: DatabaseArgs,
        #[command(flatten)]
        serve: ServeArgs,
    },
    /// Run the server on a demo company (rota-demo.db unless told otherwise), seeded on first run.
    Demo {
        /// Defaults to sqlite://rota-demo.db.
        #[arg(
            long,
            env = "ROTA_DATABASE_URL",
            default_value = "sqlite://rota-demo.db"
        )]
        database_url: String,
        #[command(flatten)]
        durability: DurabilityArgs,
        #[command(flatten)]
        serve: ServeArgs,
    },
    /// Bring the database schema up to date and exit.
    Migrate {
        #[command(flatten)]
        database: DatabaseArgs,
    },
    /// Operator tasks that need no API access.
    Admin {
        #[command(flatten)]
        database: DatabaseArgs,
        /// The server's secret key, as for `serve`: seals the secrets of the API clients
        /// the task creates, for WhosOff's authenticate.
        #[arg(long, env = "ROTA_SECRET_KEY", hide_env_values = true)]
        secret_key: Option<Secret>,
        #[command(subcommand)]
        task: admin::Task,
    },
    /// Seed an empty database with a large company and measure the API under load.
    Bench(bench::BenchArgs),
    /// Print a commented configuration file with every setting at its default.
    DefaultConfig,
}

/// The command line, with the configuration file's settings as the defaults of the flags
/// they name (see [`config`]).
fn parse_command_line() -> anyhow::Result<Cli> {
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    let mut command = Cli::command();
    if let Some(path) = config::path(&args, std::env::var_os("ROTA_CONFIG")) {
        command = config::ConfigFile::load(&path)?.apply(command);
    }
    let matches = command.get_matches_from(args);
    Cli::from_arg_matches(&matches).map_err(|error| error.exit())
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let cli = parse_command_line()?;
    // A benchmark logs only trouble: a line per sign-in would be load of its own.
    let default_filter = match cli.command {
        Command::Bench(_) => "warn",
        _ => "info,sqlx=warn",
    };
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("ROTA_LOG")
                .unwrap_or_else(|_| default_filter.into()),
        )
        .with_writer(std::io::stderr)
        .init();
    if let Some(path) = &cli.config {
        tracing::info!(file = %path.display(), "configuration file read");
    }
    match cli.command {
        Command::Serve { database, serve } => {
            let db = open(&database.database_url, database.durability).await?;
            run_server(db, &database.database_url, &serve).await
        }
        Command::Demo {
            database_url,
            durability,
            serve,
        } => {
            let db = open(&database_url, durability).await?;
            rota_core::demo::ensure(&db)
                .await
                .context("seeding the demo company")?;
            println!(
                "Rota demo: http://{}  (the web app; API reference: http://{}/api/docs)",
                serve.bind, serve.bind
            );
            println!("Database: {}", redact_password(&database_url));
            println!(
                "Sign in (in the browser, or POST /api/v1/auth/login) as any of these, password {:?}:",
                rota_core::demo::DEMO_PASSWORD
            );
            for login in rota_core::demo::LOGINS {
                println!("  {:<20} {}", login.role, login.email);
            }
            run_server(db, &database_url, &serve).await
        }
        Command::Migrate { database } => {
            open(&database.database_url, database.durability).await?;
            println!("migrations applied");
            Ok(())
        }
        Command::Admin {
            database,
            secret_key: configured,
            task,
        } => {
            let db = open(&database.database_url, database.durability).await?;
            let key = secret_key(
                configured.as_ref().map(Secret::expose),
                &database.database_url,
            )?;
            admin::run(&db, key.as_ref(), task).await
        }
        Command::Bench(args) => bench::run(args).await,
        Command::DefaultConfig => {
            print!("{}", config::EXAMPLE);
            Ok(())
        }
    }
}

/// A database URL fit to print: any password replaced by `***`.
fn redact_password(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            let credentials = &url[scheme + 3..at];
            match credentials.split_once(':') {
                Some((user, _)) => format!("{}{user}:***{}", &url[..scheme + 3], &url[at..]),
                None => url.to_owned(),
            }
        }
        _ => url.to_owned(),
    }
}

/// Connects and migrates.
async fn open(url: &str, durability: DurabilityArgs) -> anyhow::Result<Db> {
    let db = Db::connect_with(url, durability.sqlite_synchronous)
        .await
        .with_context(|| format!("connecting to {url}"))?;
    db.migrate().await.context("running migrations")?;
    Ok(db)
}

/// The server's secret key: the configured one, else (SQLite) the one in the key file
/// beside the database, made on first start; else none (no MFA, webhook secrets as issued).
fn secret_key(configured: Option<&str>, database_url: &str) -> anyhow::Result<Option<SecretKey>> {
    if let Some(text) = configured {
        return Ok(Some(
            SecretKey::parse(text).context("reading --secret-key (ROTA_SECRET_KEY)")?,
        ));
    }
    let Some(path) = sqlite_file(database_url) else {
        tracing::warn!(
            "no secret key configured (--secret-key or ROTA_SECRET_KEY): MFA enrolment is unavailable and webhook signing secrets are stored as issued"
        );
        return Ok(None);
    };
    let path = std::path::PathBuf::from(format!("{path}.key"));
    let (key, created) = SecretKey::load_or_create(&path)
        .with_context(|| format!("reading or creating the key file {}", path.display()))?;
    if created {
        tracing::info!(file = %path.display(), "no secret key configured: generated one to seal MFA seeds and webhook secrets; back it up with the database");
    } else {
        tracing::info!(file = %path.display(), "using the secret key in the key file beside the database");
    }
    Ok(Some(key))
}

async fn run_server(db: Db, database_url: &str, serve: &ServeArgs) -> anyhow::Result<()> {
    let secret_key = secret_key(serve.secret_key.as_ref().map(Secret::expose), database_url)?;
    let mailer = match &serve.mail.smtp_url {
        Some(url) => Some(
            Mailer::new(url.expose(), &serve.mail.mail_from)
                .context("configuring e-mail (--smtp-url, --mail-from)")?
                .with_site(
                    serve
                        .mail
                        .public_url
                        .as_deref()
                        .unwrap_or(&format!("http://{}", serve.bind)),
                ),
        ),
        None => {
            tracing::warn!(
                "no SMTP server configured (--smtp-url or ROTA_SMTP_URL): e-mail stays queued in the outbox"
            );
            None
        }
    };
    let webhooks = WebhookSettings {
        allow_private: serve.allow_private_webhooks,
        secret_key: secret_key.clone(),
    };
    if webhooks.allow_private {
        tracing::warn!(
            "webhooks may call private and loopback addresses (--allow-private-webhooks)"
        );
    }
    let dispatcher = Dispatcher::new(webhooks.clone()).context("configuring webhooks")?;
    let listener = tokio::net::TcpListener::bind(serve.bind)
        .await
        .with_context(|| format!("listening on {}", serve.bind))?;
    tracing::info!(address = %serve.bind, "serving");
    let state = AppState {
        db: db.clone(),
        config: Arc::new(HttpConfig {
            signup_enabled: !serve.disable_signup,
            trusted_proxies: serve.trusted_proxies.clone(),
            webhooks,
            limits: Limits {
                api: serve.api_rate_limit,
                token: serve.token_rate_limit,
                login: serve.login_rate_limit,
            },
            secret_key,
        }),
    };
    // Stopping the worker mid-send is safe: a claimed row is sent again when its claim lapses.
    let mail_worker = mailer.map(|mailer| tokio::spawn(worker::run(db.clone(), mailer, MAIL_POLL)));
    // Likewise for webhooks: a claimed delivery goes again when its claim lapses.
    let webhook_worker = tokio::spawn(webhook_worker::run(db.clone(), dispatcher, WEBHOOK_POLL));
    let sweeper = tokio::spawn(sweep::run(db.clone(), SWEEP_EVERY));
    rota_http::serve(listener, state, async {
        let _ = tokio::signal::ctrl_c().await;
    })
    .await?;
    if let Some(mail_worker) = mail_worker {
        mail_worker.abort();
    }
    webhook_worker.abort();
    sweeper.abort();
    db.close().await;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::redact_password;

    #[test]
    fn printed_database_urls_hide_the_password() {
        assert_eq!(
            redact_password("postgres://rota:s3cret@db:5432/rota"),
            "postgres://rota:***@db:5432/rota"
        );
        assert_eq!(
            redact_password("postgres://rota@db/rota"),
            "postgres://rota@db/rota"
        );
        assert_eq!(
            redact_password("sqlite://rota-demo.db"),
            "sqlite://rota-demo.db"
        );
    }
}
