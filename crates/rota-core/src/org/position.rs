//! Positions: the roles people fill on a shift (When I Work positions), with a colour, an
//! order and an hourly rate that payroll pays where the user has none of their own.

use serde::{Deserialize, Serialize};
use sqlx::any::AnyArguments;
use sqlx::query::Query;
use sqlx::{Any, FromRow};
use utoipa::ToSchema;

use super::{Kind, OrgItem};
use crate::error::{Error, Result};
use crate::payroll::rates::MAX_HOURLY_RATE_CENTS;
use crate::validate;

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, FromRow)]
pub struct Position {
    pub id: i64,
    pub company_id: i64,
    pub name: String,
    /// Six hex digits, such as `cc0000`.
    pub color: Option<String>,
    pub sort: i64,
    /// Cents per hour, paid for time worked in this position by people without a rate of
    /// their own (see [`crate::payroll::rates`]).
    pub hourly_rate_cents: Option<i64>,
    #[serde(skip)]
    pub created_at: i64,
    #[serde(skip)]
    pub updated_at: i64,
}

/// Create or update a position; `name` is required on create.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PositionInput {
    #[schema(value_type = Option<crate::openapi::Text100>)]
    pub name: Option<String>,
    #[schema(value_type = Option<crate::openapi::Colour>)]
    pub color: Option<String>,
    #[schema(minimum = 0, maximum = 1000000)]
    pub sort: Option<i64>,
    /// Cents per hour, 0 to 100,000,000; `null` removes it.
    #[serde(default, deserialize_with = "validate::nullable")]
    #[schema(value_type = Option<i64>, minimum = 0, maximum = 100000000)]
    pub hourly_rate_cents: Option<Option<i64>>,
}

impl crate::openapi::RequiredOnCreate for PositionInput {
    const REQUIRED: &'static [&'static str] = &["name"];
}

impl OrgItem for Position {
    const KIND: Kind = Kind::Position;
    const COLUMNS: &'static [&'static str] = &["name", "color", "sort", "hourly_rate_cents"];
    type Input = PositionInput;

    fn create(company_id: i64, input: &PositionInput) -> Result<Self> {
        let name = input
            .name
            .as_deref()
            .ok_or_else(|| Error::invalid("name", "name is required"))?;
        let mut item = Self {
            id: 0,
            company_id,
            name: validate::required_text("name", name, 100)?,
            color: None,
            sort: 0,
            hourly_rate_cents: None,
            created_at: 0,
            updated_at: 0,
        };
        item.apply(input)?;
        Ok(item)
    }

    fn apply(&mut self, input: &PositionInput) -> Result<()> {
        if let Some(name) = &input.name {
            self.name = validate::required_text("name", name, 100)?;
        }
        if let Some(color) = &input.color {
            self.color = Some(validate::colour("color", color)?);
        }
        if let Some(sort) = input.sort {
            self.sort = validate::within("sort", sort, 0, 1_000_000)?;
        }
        if let Some(rate) = input.hourly_rate_cents {
            self.hourly_rate_cents = rate
                .map(|rate| validate::within("hourly_rate_cents", rate, 0, MAX_HOURLY_RATE_CENTS))
                .transpose()?;
        }
        Ok(())
    }

    fn bind<'q>(&'q self, query: Query<'q, Any, AnyArguments>) -> Query<'q, Any, AnyArguments> {
        query
            .bind(&self.name)
            .bind(&self.color)
            .bind(self.sort)
            .bind(self.hourly_rate_cents)
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
