//! Sites: a place within a location (a room, a venue), as When I Work has them.

use serde::{Deserialize, Serialize};
use sqlx::any::AnyArguments;
use sqlx::query::Query;
use sqlx::{Any, FromRow};
use utoipa::ToSchema;

use super::{Kind, OrgItem};
use crate::error::{Error, Result};
use crate::validate;

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, FromRow)]
pub struct Site {
    pub id: i64,
    pub company_id: i64,
    pub location_id: i64,
    pub name: String,
    /// Six hex digits, such as `8da6d9`.
    pub color: Option<String>,
    pub description: Option<String>,
    pub address: Option<String>,
    #[serde(skip)]
    pub created_at: i64,
    #[serde(skip)]
    pub updated_at: i64,
}

/// Create or update a site; `location_id` and `name` are required on create.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SiteInput {
    pub location_id: Option<i64>,
    #[schema(value_type = Option<crate::openapi::Text100>)]
    pub name: Option<String>,
    #[schema(value_type = Option<crate::openapi::Colour>)]
    pub color: Option<String>,
    #[schema(value_type = Option<crate::openapi::OptionalText500>)]
    pub description: Option<String>,
    #[schema(value_type = Option<crate::openapi::OptionalText500>)]
    pub address: Option<String>,
}

impl crate::openapi::RequiredOnCreate for SiteInput {
    const REQUIRED: &'static [&'static str] = &["location_id", "name"];
}

impl OrgItem for Site {
    const KIND: Kind = Kind::Site;
    const COLUMNS: &'static [&'static str] =
        &["location_id", "name", "color", "description", "address"];
    type Input = SiteInput;

    fn create(company_id: i64, input: &SiteInput) -> Result<Self> {
        let location_id = input
            .location_id
            .ok_or_else(|| Error::invalid("location_id", "location_id is required"))?;
        let name = input
            .name
            .as_deref()
            .ok_or_else(|| Error::invalid("name", "name is required"))?;
        let mut item = Self {
            id: 0,
            company_id,
            location_id,
            name: validate::required_text("name", name, 100)?,
            color: None,
            description: None,
            address: None,
            created_at: 0,
            updated_at: 0,
        };
        item.apply(input)?;
        Ok(item)
    }

    fn apply(&mut self, input: &SiteInput) -> Result<()> {
        if let Some(location_id) = input.location_id {
            self.location_id = location_id;
        }
        if let Some(name) = &input.name {
            self.name = validate::required_text("name", name, 100)?;
        }
        if let Some(color) = &input.color {
            self.color = Some(validate::colour("color", color)?);
        }
        if let Some(description) = &input.description {
            self.description = validate::optional_text("description", Some(description), 500)?;
        }
        if let Some(address) = &input.address {
            self.address = validate::optional_text("address", Some(address), 500)?;
        }
        Ok(())
    }

    fn bind<'q>(&'q self, query: Query<'q, Any, AnyArguments>) -> Query<'q, Any, AnyArguments> {
        query
            .bind(self.location_id)
            .bind(&self.name)
            .bind(&self.color)
            .bind(&self.description)
            .bind(&self.address)
    }

    fn id(&self) -> i64 {
        self.id
    }
    fn set_id(&mut self, id: i64) {
        self.id = id;
    }
    fn touch(&mut self, now: i64) {
        self.updated_at = now;
    }

    fn references(&self) -> Vec<(Kind, Option<i64>, &'static str)> {
        vec![(Kind::Location, Some(self.location_id), "location_id")]
    }
}
