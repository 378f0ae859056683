//! Applying a [`UserInput`] to a [`UserRecord`]: each field parsed and checked, and each
//! field's sensitivity, which decides who may send it.

use crate::error::{Error, Result};
use crate::people::model::UserInput;
use crate::people::record::{UserRecord, encode_days};
use crate::policy::FieldClass;
use crate::validate;
use jiff::civil::Date;

impl UserInput {
    /// The fields present in this input, each with its sensitivity.
    pub fn present_fields(&self) -> Vec<(&'static str, FieldClass)> {
        self.fields()
            .into_iter()
            .filter(|(_, present, _)| *present)
            .map(|(name, _, class)| (name, class))
            .collect()
    }

    /// Every field: its name, whether this input holds it, and its sensitivity.
    fn fields(&self) -> Vec<(&'static str, bool, FieldClass)> {
        use FieldClass::{Managed, Privileged, SelfService};
        vec![
            ("email", self.email.is_some(), Privileged),
            ("password", self.password.is_some(), SelfService),
            ("first_name", self.first_name.is_some(), SelfService),
            ("last_name", self.last_name.is_some(), SelfService),
            ("staff_code", self.staff_code.is_some(), Managed),
            ("title", self.title.is_some(), SelfService),
            ("middle_name", self.middle_name.is_some(), SelfService),
            ("work_phone", self.work_phone.is_some(), SelfService),
            ("mobile_phone", self.mobile_phone.is_some(), SelfService),
            ("user_type_id", self.user_type_id.is_some(), Privileged),
            ("status", self.status.is_some(), Privileged),
            ("department_id", self.department_id.is_some(), Privileged),
            ("region_id", self.region_id.is_some(), Privileged),
            ("locations", self.locations.is_some(), Privileged),
            ("positions", self.positions.is_some(), Privileged),
            ("position_rates", self.position_rates.is_some(), Privileged),
            ("tags", self.tags.is_some(), Privileged),
            ("approver_id", self.approver_id.is_some(), Privileged),
            ("approver_role", self.approver_role.is_some(), Privileged),
            ("notifier_2_id", self.notifier_2_id.is_some(), Privileged),
            (
                "notifier_2_role",
                self.notifier_2_role.is_some(),
                Privileged,
            ),
            ("notifier_3_id", self.notifier_3_id.is_some(), Privileged),
            (
                "notifier_3_role",
                self.notifier_3_role.is_some(),
                Privileged,
            ),
            ("manager_id", self.manager_id.is_some(), Privileged),
            ("job_title", self.job_title.is_some(), Managed),
            (
                "employment_start_date",
                self.employment_start_date.is_some(),
                Privileged,
            ),
            (
                "employment_end_date",
                self.employment_end_date.is_some(),
                Privileged,
            ),
            ("working_days", self.working_days.is_some(), Managed),
            (
                "holiday_country",
                self.holiday_country.is_some(),
                Privileged,
            ),
            (
                "holiday_subdivision",
                self.holiday_subdivision.is_some(),
                Privileged,
            ),
            ("time_zone", self.time_zone.is_some(), SelfService),
            ("allowance_unit", self.allowance_unit.is_some(), Privileged),
            (
                "hourly_rate_cents",
                self.hourly_rate_cents.is_some(),
                Privileged,
            ),
            (
                "hours_max_minutes",
                self.hours_max_minutes.is_some(),
                Managed,
            ),
            (
                "hours_preferred_minutes",
                self.hours_preferred_minutes.is_some(),
                Managed,
            ),
            (
                "employment_type",
                self.employment_type.is_some(),
                Privileged,
            ),
            ("notes", self.notes.is_some(), Managed),
            ("is_hidden", self.is_hidden.is_some(), Privileged),
            ("is_private", self.is_private.is_some(), Privileged),
            ("is_payroll", self.is_payroll.is_some(), Privileged),
            ("is_trusted", self.is_trusted.is_some(), Privileged),
            ("email_type", self.email_type.is_some(), SelfService),
            (
                "default_view_type_id",
                self.default_view_type_id.is_some(),
                SelfService,
            ),
            (
                "default_view_id",
                self.default_view_id.is_some(),
                SelfService,
            ),
            (
                "default_sorting_id",
                self.default_sorting_id.is_some(),
                SelfService,
            ),
            (
                "active_directory_username",
                self.active_directory_username.is_some(),
                Privileged,
            ),
            (
                "image_url_small",
                self.image_url_small.is_some(),
                SelfService,
            ),
            (
                "image_url_large",
                self.image_url_large.is_some(),
                SelfService,
            ),
            ("force_mfa", self.force_mfa.is_some(), Privileged),
        ]
    }

    /// Writes every present field into `record`, checking each; the password is left to
    /// the caller, which hashes it.
    pub fn apply_to(&self, record: &mut UserRecord) -> Result<()> {
        if let Some(email) = &self.email {
            record.email = validate::email("email", email)?;
        }
        if let Some(name) = &self.first_name {
            record.first_name = validate::required_text("first_name", name, 100)?;
        }
        if let Some(name) = &self.last_name {
            record.last_name = validate::required_text("last_name", name, 100)?;
        }
        set_text(&mut record.staff_code, &self.staff_code, "staff_code", 50)?;
        set_text(&mut record.title, &self.title, "title", 50)?;
        set_text(
            &mut record.middle_name,
            &self.middle_name,
            "middle_name",
            100,
        )?;
        set_text(&mut record.work_phone, &self.work_phone, "work_phone", 60)?;
        set_text(
            &mut record.mobile_phone,
            &self.mobile_phone,
            "mobile_phone",
            30,
        )?;
        if let Some(user_type) = self.user_type_id {
            record.user_type_id = user_type.code();
        }
        if let Some(status) = self.status {
            record.status = status.as_str().to_owned();
        }
        set_id(
            &mut record.department_id,
            self.department_id,
            "department_id",
        )?;
        set_id(&mut record.region_id, self.region_id, "region_id")?;
        set_id(&mut record.approver_id, self.approver_id, "approver_id")?;
        set_id(
            &mut record.notifier_2_id,
            self.notifier_2_id,
            "notifier_2_id",
        )?;
        set_id(
            &mut record.notifier_3_id,
            self.notifier_3_id,
            "notifier_3_id",
        )?;
        set_id(&mut record.manager_id, self.manager_id, "manager_id")?;
        if let Some(role) = self.approver_role {
            record.approver_role = role.as_str().to_owned();
        }
        if let Some(role) = self.notifier_2_role {
            record.notifier_2_role = role.as_str().to_owned();
        }
        if let Some(role) = self.notifier_3_role {
            record.notifier_3_role = role.as_str().to_owned();
        }
        set_text(&mut record.job_title, &self.job_title, "job_title", 100)?;
        set_date(
            &mut record.employment_start_date,
            &self.employment_start_date,
            "employment_start_date",
        )?;
        set_date(
            &mut record.employment_end_date,
            &self.employment_end_date,
            "employment_end_date",
        )?;
        if let (Some(start), Some(end)) = (record.employment_start_date, record.employment_end_date)
            && end < start
        {
            return Err(Error::invalid(
                "employment_end_date",
                "employment_end_date must not be before employment_start_date",
            ));
        }
        if let Some(days) = &self.working_days {
            record.working_days = encode_days(days);
        }
        if let Some(country) = &self.holiday_country {
            record.holiday_country = country
                .as_deref()
                .map(|c| validate::country("holiday_country", c))
                .transpose()?;
        }
        if let Some(subdivision) = &self.holiday_subdivision {
            record.holiday_subdivision =
                validate::optional_text("holiday_subdivision", subdivision.as_deref(), 40)?;
        }
        if let Some(subdivision) = &record.holiday_subdivision {
            let country = record.holiday_country.as_deref().unwrap_or_default();
            if !crate::holidays::has_subdivision(country, subdivision) {
                return Err(Error::invalid(
                    "holiday_subdivision",
                    format!(
                        "{country:?} has no subdivision {subdivision:?}; see GET /api/v1/public-holidays/countries"
                    ),
                ));
            }
        }
        if let Some(zone) = &self.time_zone {
            record.time_zone = zone
                .as_deref()
                .map(|z| validate::time_zone("time_zone", z))
                .transpose()?;
        }
        if let Some(unit) = self.allowance_unit {
            record.allowance_unit = unit.as_str().to_owned();
        }
        set_amount(
            &mut record.hourly_rate_cents,
            self.hourly_rate_cents,
            "hourly_rate_cents",
            crate::payroll::rates::MAX_HOURLY_RATE_CENTS,
        )?;
        set_amount(
            &mut record.hours_max_minutes,
            self.hours_max_minutes,
            "hours_max_minutes",
            10_080,
        )?;
        set_amount(
            &mut record.hours_preferred_minutes,
            self.hours_preferred_minutes,
            "hours_preferred_minutes",
            10_080,
        )?;
        set_text(
            &mut record.employment_type,
            &self.employment_type,
            "employment_type",
            50,
        )?;
        set_text(&mut record.notes, &self.notes, "notes", 4000)?;
        set_flag(&mut record.is_hidden, self.is_hidden);
        set_flag(&mut record.is_private, self.is_private);
        set_flag(&mut record.is_payroll, self.is_payroll);
        set_flag(&mut record.is_trusted, self.is_trusted);
        set_flag(&mut record.force_mfa, self.force_mfa);
        if let Some(kind) = self.email_type {
            record.email_type = kind.as_str().to_owned();
        }
        if let Some(view) = self.default_view_type_id {
            record.default_view_type_id = validate::within("default_view_type_id", view, 1, 2)?;
        }
        set_id(
            &mut record.default_view_id,
            self.default_view_id,
            "default_view_id",
        )?;
        if let Some(sorting) = self.default_sorting_id {
            record.default_sorting_id = validate::within("default_sorting_id", sorting, 0, 255)?;
        }
        set_text(
            &mut record.active_directory_username,
            &self.active_directory_username,
            "active_directory_username",
            50,
        )?;
        set_url(
            &mut record.image_url_small,
            &self.image_url_small,
            "image_url_small",
        )?;
        set_url(
            &mut record.image_url_large,
            &self.image_url_large,
            "image_url_large",
        )?;
        Ok(())
    }
}

fn set_text(
    slot: &mut Option<String>,
    value: &Option<Option<String>>,
    field: &'static str,
    max: usize,
) -> Result<()> {
    if let Some(value) = value {
        *slot = validate::optional_text(field, value.as_deref(), max)?;
    }
    Ok(())
}

fn set_id(slot: &mut Option<i64>, value: Option<Option<i64>>, field: &'static str) -> Result<()> {
    if let Some(value) = value {
        if let Some(id) = value
            && id <= 0
        {
            return Err(Error::invalid(
                field,
                format!("{field} must be a positive id"),
            ));
        }
        *slot = value;
    }
    Ok(())
}

fn set_amount(
    slot: &mut Option<i64>,
    value: Option<Option<i64>>,
    field: &'static str,
    max: i64,
) -> Result<()> {
    if let Some(value) = value {
        *slot = value
            .map(|v| validate::within(field, v, 0, max))
            .transpose()?;
    }
    Ok(())
}

fn set_date(
    slot: &mut Option<Date>,
    value: &Option<Option<String>>,
    field: &'static str,
) -> Result<()> {
    if let Some(value) = value {
        *slot = value
            .as_deref()
            .map(|d| validate::date(field, d))
            .transpose()?;
    }
    Ok(())
}

fn set_url(
    slot: &mut Option<String>,
    value: &Option<Option<String>>,
    field: &'static str,
) -> Result<()> {
    if let Some(value) = value {
        let url = validate::optional_text(field, value.as_deref(), 2000)?;
        if let Some(url) = &url
            && !(url.starts_with("https://") || url.starts_with("http://"))
        {
            return Err(Error::invalid(
                field,
                format!("{field} must be an http or https URL"),
            ));
        }
        *slot = url;
    }
    Ok(())
}

fn set_flag(slot: &mut i64, value: Option<bool>) {
    if let Some(value) = value {
        *slot = i64::from(value);
    }
}

#[cfg(test)]
mod tests {
    use utoipa::PartialSchema;
    use utoipa::openapi::{RefOr, Schema};

    use super::*;

    /// A field with no sensitivity would be written by whoever may edit the person at all:
    /// every field of the input is classed (the current password proves who sends it and
    /// writes nothing).
    #[test]
    fn every_field_of_the_input_has_a_class() {
        let RefOr::T(Schema::Object(schema)) = UserInput::schema() else {
            panic!("the input is an object");
        };
        let mut documented: Vec<&str> = schema
            .properties
            .keys()
            .map(String::as_str)
            .filter(|name| *name != "current_password")
            .collect();
        let mut classed: Vec<&str> = UserInput::default()
            .fields()
            .into_iter()
            .map(|(name, _, _)| name)
            .collect();
        documented.sort_unstable();
        classed.sort_unstable();
        assert_eq!(classed, documented);
    }
}
