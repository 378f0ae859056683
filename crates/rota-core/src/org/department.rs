//! Departments, with WhosOff's staffing levels and Offly's manager and default allowance.

use serde::{Deserialize, Serialize};
use sqlx::any::AnyArguments;
use sqlx::query::Query;
use sqlx::{Any, FromRow};
use utoipa::ToSchema;

use super::{Kind, OrgItem};
use crate::error::{Error, Result};
use crate::validate;

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, FromRow)]
pub struct Department {
    pub id: i64,
    pub company_id: i64,
    pub name: String,
    /// The fewest people who must be in on any day (WhosOff `min_user`).
    pub min_user: i64,
    /// The most people expected in (WhosOff `max_user`).
    pub max_user: Option<i64>,
    pub manager_id: Option<i64>,
    /// Allowance for new joiners, in hundredths of a day (2500 is 25 days).
    pub default_allowance: Option<i64>,
    #[serde(skip)]
    pub created_at: i64,
    #[serde(skip)]
    pub updated_at: i64,
}

/// Create or update a department; `name` is required on create.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DepartmentInput {
    #[schema(value_type = Option<crate::openapi::Text50>)]
    pub name: Option<String>,
    #[schema(minimum = 0, maximum = 32767)]
    pub min_user: Option<i64>,
    #[schema(minimum = 0, maximum = 32767)]
    pub max_user: Option<i64>,
    pub manager_id: Option<i64>,
    #[schema(minimum = 0, maximum = 36600)]
    pub default_allowance: Option<i64>,
}

impl crate::openapi::RequiredOnCreate for DepartmentInput {
    const REQUIRED: &'static [&'static str] = &["name"];
}

impl OrgItem for Department {
    const KIND: Kind = Kind::Department;
    const COLUMNS: &'static [&'static str] = &[
        "name",
        "min_user",
        "max_user",
        "manager_id",
        "default_allowance",
    ];
    type Input = DepartmentInput;

    fn create(company_id: i64, input: &DepartmentInput) -> Result<Self> {
        let name = input
            .name
            .as_deref()
            .ok_or_else(|| Error::invalid("name", "name is required"))?;
        let mut item = Self {
            id: 0,
            company_id,
            name: validate::required_text("name", name, 50)?,
            min_user: 0,
            max_user: None,
            manager_id: None,
            default_allowance: None,
            created_at: 0,
            updated_at: 0,
        };
        item.apply(input)?;
        Ok(item)
    }

    fn apply(&mut self, input: &DepartmentInput) -> Result<()> {
        if let Some(name) = &input.name {
            self.name = validate::required_text("name", name, 50)?;
        }
        if let Some(min) = input.min_user {
            self.min_user = validate::within("min_user", min, 0, 32767)?;
        }
        if let Some(max) = input.max_user {
            self.max_user = Some(validate::within("max_user", max, 0, 32767)?);
        }
        if let Some(max) = self.max_user
            && max < self.min_user
        {
            return Err(Error::invalid(
                "max_user",
                "max_user must not be below min_user",
            ));
        }
        if input.manager_id.is_some() {
            self.manager_id = input.manager_id;
        }
        if let Some(allowance) = input.default_allowance {
            self.default_allowance =
                Some(validate::within("default_allowance", allowance, 0, 36_600)?);
        }
        Ok(())
    }

    fn bind<'q>(&'q self, query: Query<'q, Any, AnyArguments>) -> Query<'q, Any, AnyArguments> {
        query
            .bind(&self.name)
            .bind(self.min_user)
            .bind(self.max_user)
            .bind(self.manager_id)
            .bind(self.default_allowance)
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

    fn user_references(&self) -> Vec<(Option<i64>, &'static str)> {
        vec![(self.manager_id, "manager_id")]
    }
}
