//! Locations: places people work, with an address, coordinates and a time zone.

use serde::{Deserialize, Serialize};
use sqlx::any::AnyArguments;
use sqlx::query::Query;
use sqlx::{Any, FromRow};
use utoipa::ToSchema;

use super::{Kind, OrgItem};
use crate::error::{Error, Result};
use crate::validate;

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, FromRow)]
pub struct Location {
    pub id: i64,
    pub company_id: i64,
    pub name: String,
    pub address: Option<String>,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
    /// IANA zone; the company's when absent.
    pub time_zone: Option<String>,
    #[serde(skip)]
    pub created_at: i64,
    #[serde(skip)]
    pub updated_at: i64,
}

/// Create or update a location; `name` is required on create.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LocationInput {
    #[schema(value_type = Option<crate::openapi::Text100>)]
    pub name: Option<String>,
    #[schema(value_type = Option<crate::openapi::OptionalText500>)]
    pub address: Option<String>,
    #[schema(minimum = -90, maximum = 90)]
    pub latitude: Option<f64>,
    #[schema(minimum = -180, maximum = 180)]
    pub longitude: Option<f64>,
    #[schema(value_type = Option<crate::openapi::TimeZone>)]
    pub time_zone: Option<String>,
}

impl crate::openapi::RequiredOnCreate for LocationInput {
    const REQUIRED: &'static [&'static str] = &["name"];
}

impl OrgItem for Location {
    const KIND: Kind = Kind::Location;
    const COLUMNS: &'static [&'static str] =
        &["name", "address", "latitude", "longitude", "time_zone"];
    type Input = LocationInput;

    fn create(company_id: i64, input: &LocationInput) -> Result<Self> {
        let name = input
            .name
            .as_deref()
            .ok_or_else(|| Error::invalid("name", "name is required"))?;
        let mut item = Self {
            id: 0,
            company_id,
            name: validate::required_text("name", name, 100)?,
            address: None,
            latitude: None,
            longitude: None,
            time_zone: None,
            created_at: 0,
            updated_at: 0,
        };
        item.apply(input)?;
        Ok(item)
    }

    fn apply(&mut self, input: &LocationInput) -> Result<()> {
        if let Some(name) = &input.name {
            self.name = validate::required_text("name", name, 100)?;
        }
        if let Some(address) = &input.address {
            self.address = validate::optional_text("address", Some(address), 500)?;
        }
        if let Some(latitude) = input.latitude {
            if !(-90.0..=90.0).contains(&latitude) {
                return Err(Error::invalid(
                    "latitude",
                    "latitude must be between -90 and 90",
                ));
            }
            self.latitude = Some(latitude);
        }
        if let Some(longitude) = input.longitude {
            if !(-180.0..=180.0).contains(&longitude) {
                return Err(Error::invalid(
                    "longitude",
                    "longitude must be between -180 and 180",
                ));
            }
            self.longitude = Some(longitude);
        }
        if let Some(zone) = &input.time_zone {
            self.time_zone = Some(validate::time_zone("time_zone", zone)?);
        }
        Ok(())
    }

    fn bind<'q>(&'q self, query: Query<'q, Any, AnyArguments>) -> Query<'q, Any, AnyArguments> {
        // Not a cached prepared statement: sqlx 0.9's Any driver sends an absent `f64` as a
        // NULL `float4` but a present one as `float8`, and PostgreSQL refuses a `float8`
        // bound to a statement it prepared for `float4` (see `crate::db`, "Floats").
        query
            .persistent(false)
            .bind(&self.name)
            .bind(&self.address)
            .bind(self.latitude)
            .bind(self.longitude)
            .bind(&self.time_zone)
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
