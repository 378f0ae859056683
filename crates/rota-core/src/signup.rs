//! Sign-up: a new company with its owner, a super user, in one transaction. Each area
//! brings its own defaults (the company its settings, people the owner, leave its types),
//! so that no area depends on another just to be created.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::access::audit::{self, AuditAction, Event, Who};
use crate::company::{self, CompanySettings};
use crate::db::{Db, now};
use crate::error::Result;
use crate::people::record::UserRecord;
use crate::people::types::UserType;
use crate::validate;

/// A new company and its owner: the sign-up form and `rota admin create-company`.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CompanyForCreate {
    #[schema(value_type = crate::openapi::Text100)]
    pub name: String,
    #[schema(value_type = Option<crate::openapi::TimeZone>)]
    pub time_zone: Option<String>,
    #[schema(value_type = Option<crate::openapi::Country>)]
    pub holiday_country: Option<String>,
    #[schema(value_type = crate::openapi::Email)]
    pub owner_email: String,
    #[schema(value_type = String, format = Password, min_length = 12, max_length = 256)]
    pub owner_password: crate::secret::Secret,
    #[schema(value_type = Option<crate::openapi::Text100>)]
    pub owner_first_name: Option<String>,
    #[schema(value_type = Option<crate::openapi::Text100>)]
    pub owner_last_name: Option<String>,
}

/// What creating a company returns.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct CreatedCompany {
    pub company_id: i64,
    pub owner_id: i64,
}

/// Creates a company with its owner, a super user, in one transaction.
pub async fn create_company(db: &Db, input: CompanyForCreate) -> Result<CreatedCompany> {
    let name = validate::required_text("name", &input.name, 100)?;
    let time_zone = validate::time_zone("time_zone", input.time_zone.as_deref().unwrap_or("UTC"))?;
    let holiday_country = input
        .holiday_country
        .as_deref()
        .map(|c| validate::country("holiday_country", c))
        .transpose()?;
    let email = validate::email("owner_email", &input.owner_email)?;
    CompanySettings::default().check_password("owner_password", input.owner_password.expose())?;
    let first_name = validate::required_text(
        "owner_first_name",
        input.owner_first_name.as_deref().unwrap_or("Owner"),
        100,
    )?;
    let last_name = validate::required_text(
        "owner_last_name",
        input.owner_last_name.as_deref().unwrap_or("Account"),
        100,
    )?;
    let password_hash = crate::secret::hash_password(input.owner_password.expose()).await?;

    let mut tx = db.begin_write().await?;
    let stamp = now();
    let company_id = company::insert(
        &mut tx,
        &name,
        &time_zone,
        holiday_country.as_deref(),
        stamp,
    )
    .await?;
    let mut owner = UserRecord::new(company_id, email, first_name, last_name, stamp);
    owner.user_type_id = UserType::SuperUser.code();
    owner.password_hash = Some(password_hash);
    let owner_id = owner.insert(&mut tx).await?;
    company::set_owner(&mut tx, company_id, owner_id).await?;
    crate::leave::types::insert_defaults(&mut tx, company_id).await?;
    audit::record(
        &mut tx,
        Who {
            user_id: Some(owner_id),
            origin: Default::default(),
        },
        Event {
            company_id,
            action: AuditAction::CompanyCreated,
            target: Some(("company", company_id)),
            details: serde_json::json!({"name": name, "owner_email": owner.email}),
        },
    )
    .await?;
    tx.commit().await?;
    tracing::info!(
        company.id = company_id,
        user.id = owner_id,
        "company created"
    );
    Ok(CreatedCompany {
        company_id,
        owner_id,
    })
}
