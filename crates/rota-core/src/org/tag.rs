//! Tags: free labels that users carry (a user's `tags` field says which).

use serde::{Deserialize, Serialize};
use sqlx::any::AnyArguments;
use sqlx::query::Query;
use sqlx::{Any, FromRow};
use utoipa::ToSchema;

use super::{Kind, OrgItem};
use crate::error::{Error, Result};
use crate::validate;

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, FromRow)]
pub struct Tag {
    pub id: i64,
    pub company_id: i64,
    pub name: String,
    #[serde(skip)]
    pub created_at: i64,
    #[serde(skip)]
    pub updated_at: i64,
}

/// Create or update a tag; `name` is required on create.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TagInput {
    #[schema(value_type = Option<crate::openapi::Text100>)]
    pub name: Option<String>,
}

impl crate::openapi::RequiredOnCreate for TagInput {
    const REQUIRED: &'static [&'static str] = &["name"];
}

impl OrgItem for Tag {
    const KIND: Kind = Kind::Tag;
    const COLUMNS: &'static [&'static str] = &["name"];
    type Input = TagInput;

    fn create(company_id: i64, input: &TagInput) -> Result<Self> {
        let name = input
            .name
            .as_deref()
            .ok_or_else(|| Error::invalid("name", "name is required"))?;
        Ok(Self {
            id: 0,
            company_id,
            name: validate::required_text("name", name, 100)?,
            created_at: 0,
            updated_at: 0,
        })
    }

    fn apply(&mut self, input: &TagInput) -> Result<()> {
        if let Some(name) = &input.name {
            self.name = validate::required_text("name", name, 100)?;
        }
        Ok(())
    }

    fn bind<'q>(&'q self, query: Query<'q, Any, AnyArguments>) -> Query<'q, Any, AnyArguments> {
        query.bind(&self.name)
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
}
