//! `rota admin …`: what an operator of a self-hosted install needs without the API. Each
//! task works beside a running server on the same database.

use std::io::Read;

use anyhow::{Context, bail};
use clap::Subcommand;
use rota_core::Db;
use rota_core::access::audit::{self, AuditFilter};
use rota_core::access::clients::{self, ApiClientForCreate};
use rota_core::access::settings;
use rota_core::people::types::UserType;
use rota_core::sealing::SecretKey;
use rota_core::secret::Secret;
use rota_core::signup::CompanyForCreate;

#[derive(Subcommand)]
pub enum Task {
    /// Create a company and its owner; prints {"company_id":…,"owner_id":…}.
    CreateCompany {
        #[arg(long)]
        name: String,
        #[arg(long)]
        owner_email: String,
        /// Read the owner's password from this environment variable instead of standard input.
        #[arg(long)]
        owner_password_env: Option<String>,
        #[arg(long)]
        time_zone: Option<String>,
        #[arg(long)]
        holiday_country: Option<String>,
    },
    /// Set a user's password (ends their sessions and lifts any lock).
    ResetPassword {
        #[arg(long)]
        company_id: i64,
        #[arg(long)]
        email: String,
        /// Read the password from this environment variable instead of standard input.
        #[arg(long)]
        password_env: Option<String>,
    },
    /// Lift a lock left by failed sign-ins.
    UnlockUser {
        #[arg(long)]
        company_id: i64,
        #[arg(long)]
        email: String,
    },
    /// Switch off a user's MFA (a lost device and lost recovery codes); they next sign in
    /// with the password alone, or enrol afresh where MFA is demanded of them.
    ResetMfa {
        #[arg(long)]
        company_id: i64,
        #[arg(long)]
        email: String,
    },
    /// Enable API access for a company, acting as its owner; prints the first API client
    /// with its App ID and client secret (shown this once).
    EnableApiAccess {
        #[arg(long)]
        company_id: i64,
    },
    /// Revoke a company's API access: every client and key is disabled, every token stops.
    RevokeApiAccess {
        #[arg(long)]
        company_id: i64,
    },
    /// Create an API client, acting as the owner; prints it with its client secret (shown
    /// this once).
    CreateApiClient {
        #[arg(long)]
        company_id: i64,
        #[arg(long)]
        name: String,
        /// `<area>:read` or `<area>:write`; repeat. Areas: people, leave, schedule, time,
        /// payroll, reports, compliance.
        #[arg(long = "scope")]
        scopes: Vec<String>,
        /// The highest role the client acts with (100 staff … 310 super user with staff hub).
        #[arg(long)]
        role_ceiling: Option<i64>,
        /// An address or CIDR range the client may call from; repeat. None: any address.
        #[arg(long = "allow-ip")]
        ip_allow_list: Vec<String>,
        /// Every call must carry a fresh nonce and a timestamp.
        #[arg(long)]
        requires_nonce: bool,
        /// The client may act as other users with X-Act-As-User.
        #[arg(long)]
        may_act_as_users: bool,
    },
    /// Issue a new secret for an API client; prints it (shown this once).
    RegenerateApiSecret {
        #[arg(long)]
        company_id: i64,
        #[arg(long)]
        client_id: i64,
        /// Seconds the old secret keeps working (default 0: it stops now).
        #[arg(long, default_value_t = 0)]
        overlap_seconds: i64,
    },
    /// Revoke one API client: it and its tokens stop at once.
    RevokeApiClient {
        #[arg(long)]
        company_id: i64,
        #[arg(long)]
        client_id: i64,
    },
    /// Print the company's audit log, newest first, one JSON object per line.
    Audit {
        #[arg(long)]
        company_id: i64,
        /// Only this action, e.g. token.issued.
        #[arg(long)]
        action: Option<String>,
        #[arg(long, default_value_t = 100)]
        limit: i64,
    },
    /// Roll the leave year containing --date (default today) into the next: carry-over for
    /// every active user, capped and expiring per the company settings. Safe to repeat.
    RollLeaveYear {
        #[arg(long)]
        company_id: i64,
        /// YYYY-MM-DD, any day in the leave year to roll forward.
        #[arg(long)]
        date: Option<String>,
    },
}

/// A secret from the named environment variable, or the first line of standard input.
fn read_secret(env: Option<&str>) -> anyhow::Result<Secret> {
    let secret = match env {
        Some(name) => std::env::var(name)
            .with_context(|| format!("environment variable {name} is not set"))?,
        None => {
            let mut input = String::new();
            std::io::stdin()
                .read_to_string(&mut input)
                .context("reading the password from standard input")?;
            input.lines().next().unwrap_or_default().to_owned()
        }
    };
    if secret.is_empty() {
        bail!("the password is empty");
    }
    Ok(Secret::from(secret))
}

pub async fn run(db: &Db, key: Option<&SecretKey>, task: Task) -> anyhow::Result<()> {
    match task {
        Task::CreateCompany {
            name,
            owner_email,
            owner_password_env,
            time_zone,
            holiday_country,
        } => {
            let owner_password = read_secret(owner_password_env.as_deref())?;
            let created = rota_core::signup::create_company(
                db,
                CompanyForCreate {
                    name,
                    time_zone,
                    holiday_country,
                    owner_email,
                    owner_password,
                    owner_first_name: None,
                    owner_last_name: None,
                },
            )
            .await?;
            println!("{}", serde_json::to_string(&created)?);
        }
        Task::ResetPassword {
            company_id,
            email,
            password_env,
        } => {
            let password = read_secret(password_env.as_deref())?;
            let user_id =
                rota_core::auth::reset_password(db, company_id, &email, password.expose()).await?;
            println!(
                "{}",
                serde_json::json!({ "user_id": user_id, "password_reset": true })
            );
        }
        Task::RollLeaveYear { company_id, date } => {
            let on = match date {
                Some(date) => rota_core::validate::date("date", &date)?,
                None => jiff::Zoned::now().date(),
            };
            let summary = rota_core::leave::allowance::roll_year(db, company_id, on).await?;
            println!("{}", serde_json::to_string(&summary)?);
        }
        Task::EnableApiAccess { company_id } => {
            let owner = settings::operator(db, company_id).await?;
            let client = settings::enable(db, key, &owner).await?;
            println!("{}", serde_json::to_string(&client)?);
        }
        Task::RevokeApiAccess { company_id } => {
            let owner = settings::operator(db, company_id).await?;
            let status = settings::revoke_access(db, &owner).await?;
            println!("{}", serde_json::to_string(&status)?);
        }
        Task::CreateApiClient {
            company_id,
            name,
            scopes,
            role_ceiling,
            ip_allow_list,
            requires_nonce,
            may_act_as_users,
        } => {
            let owner = settings::operator(db, company_id).await?;
            let role_ceiling = role_ceiling
                .map(UserType::try_from)
                .transpose()
                .map_err(|e| anyhow::anyhow!("--role-ceiling: {e}"))?;
            let input = ApiClientForCreate {
                name,
                scopes,
                role_ceiling,
                ip_allow_list,
                requires_nonce,
                may_act_as_users,
                ..Default::default()
            };
            let client = clients::create(db, key, &owner, input).await?;
            println!("{}", serde_json::to_string(&client)?);
        }
        Task::RegenerateApiSecret {
            company_id,
            client_id,
            overlap_seconds,
        } => {
            let owner = settings::operator(db, company_id).await?;
            let client =
                clients::regenerate_secret(db, key, &owner, client_id, overlap_seconds).await?;
            println!("{}", serde_json::to_string(&client)?);
        }
        Task::RevokeApiClient {
            company_id,
            client_id,
        } => {
            let owner = settings::operator(db, company_id).await?;
            let client = clients::revoke(db, &owner, client_id).await?;
            println!("{}", serde_json::to_string(&client)?);
        }
        Task::Audit {
            company_id,
            action,
            limit,
        } => {
            let owner = settings::operator(db, company_id).await?;
            let filter = AuditFilter {
                action,
                ..Default::default()
            };
            let page = audit::list(db, &owner, filter, Some(limit), None).await?;
            for event in page.data {
                println!("{}", serde_json::to_string(&event)?);
            }
        }
        Task::UnlockUser { company_id, email } => {
            let user_id = rota_core::auth::unlock_by_email(db, company_id, &email).await?;
            println!(
                "{}",
                serde_json::json!({ "user_id": user_id, "unlocked": true })
            );
        }
        Task::ResetMfa { company_id, email } => {
            let user_id = rota_core::mfa::reset_by_email(db, company_id, &email).await?;
            println!(
                "{}",
                serde_json::json!({ "user_id": user_id, "mfa_reset": true })
            );
        }
    }
    Ok(())
}
