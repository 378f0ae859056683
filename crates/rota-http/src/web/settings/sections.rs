//! What each settings section shows and asks: its place, its names and its fields. The
//! fields are those of the core's input for the item (the native API's body), so a section
//! offers what the API offers; those left out are named in docs/web.md.

use rota_core::leave::annotations::{Annotation, CompanyHoliday};
use rota_core::leave::types::LeaveType;
use rota_core::org::{Department, Location, OrgItem, Position, Region, Site, Tag};

use super::form::{Field, FieldKind as K};

/// One section of the settings: a list of items of one kind with a form to add one, and a
/// page to edit or delete each.
pub struct Section {
    /// Its path under `/settings/`.
    pub slug: &'static str,
    /// Its name in the navigation and as the list's heading.
    pub title: &'static str,
    /// One item, as a sentence names it.
    pub noun: &'static str,
    pub intro: &'static str,
    pub fields: &'static [Field],
}

/// An organisation item the settings pages edit.
pub trait Settable: OrgItem {
    const SECTION: Section;
}

/// Every section, in the order of the settings' navigation.
pub const ALL: [&Section; 9] = [
    &LeaveType::SECTION,
    &Department::SECTION,
    &Region::SECTION,
    &Location::SECTION,
    &Site::SECTION,
    &Position::SECTION,
    &Tag::SECTION,
    &CompanyHoliday::SECTION,
    &Annotation::SECTION,
];

const NAME: Field = Field::new("name", "Name", K::Text).required().listed();

impl Settable for LeaveType {
    const SECTION: Section = Section {
        slug: "leave-types",
        title: "Leave types",
        noun: "leave type",
        intro: "The kinds of leave and overtime people ask for, with their colour in the who's-off grid.",
        fields: &[
            Field::new("code", "Code", K::Text)
                .required()
                .listed()
                .hint("A short code, such as H for holiday."),
            NAME,
            Field::new("colour", "Colour", K::Colour)
                .listed()
                .default("#4a90d9"),
            Field::new(
                "kind",
                "Kind",
                K::Choice(&[
                    ("leave", "Leave (time off)"),
                    ("overtime", "Overtime (time worked)"),
                ]),
            )
            .listed()
            .default("leave"),
            Field::new(
                "unit",
                "Counted in",
                K::Choice(&[("days", "Days"), ("hours", "Hours")]),
            )
            .default("days"),
            Field::new("deducts_allowance", "Deducts from the allowance", K::Flag).listed(),
            Field::new("is_paid", "Paid", K::Flag).default("true"),
            Field::new("requires_approval", "Needs an approver's decision", K::Flag)
                .default("true"),
            Field::new("allows_half_days", "Half days allowed", K::Flag).default("true"),
            Field::new("note_required", "A note is required", K::Flag),
            Field::new(
                "allow_concurrent_requests",
                "May overlap other leave",
                K::Flag,
            ),
            Field::new("min_notice_days", "Notice, in days", K::Integer).default("0"),
            Field::new(
                "cancellation_period_days",
                "Cancellable up to, days before",
                K::Integer,
            )
            .default("0"),
            Field::new(
                "email_on_request",
                "Mail the approver on a request",
                K::Flag,
            )
            .default("true"),
            Field::new(
                "email_on_decision",
                "Mail the person on a decision",
                K::Flag,
            )
            .default("true"),
            Field::new("email_on_cancel", "Mail on a cancellation", K::Flag).default("true"),
            Field::new("is_active", "Active", K::Flag)
                .listed()
                .default("true"),
            Field::new("staff_note", "Note for staff", K::LongText),
            Field::new("approver_note", "Note for approvers", K::LongText),
        ],
    };
}

impl Settable for Department {
    const SECTION: Section = Section {
        slug: "departments",
        title: "Departments",
        noun: "department",
        intro: "Teams people belong to, with how many of them must be in on any day.",
        fields: &[
            NAME,
            Field::new("min_user", "Fewest people in on any day", K::Integer)
                .listed()
                .default("0"),
            Field::new("max_user", "Most people expected in", K::Integer),
            Field::new(
                "default_allowance",
                "Allowance for new joiners, in days",
                K::Days,
            )
            .hint("The company's default when empty."),
        ],
    };
}

impl Settable for Region {
    const SECTION: Section = Section {
        slug: "regions",
        title: "Regions",
        noun: "region",
        intro: "Groups of people by where they are, for the who's-off filters.",
        fields: &[NAME],
    };
}

impl Settable for Location {
    const SECTION: Section = Section {
        slug: "locations",
        title: "Locations",
        noun: "location",
        intro: "Places people work; shifts are shown in the location's time zone.",
        fields: &[
            NAME,
            Field::new("address", "Address", K::LongText).listed(),
            Field::new("time_zone", "Time zone", K::Text)
                .listed()
                .hint("An IANA zone such as Europe/London; the company's when empty."),
            Field::new("latitude", "Latitude", K::Decimal),
            Field::new("longitude", "Longitude", K::Decimal),
        ],
    };
}

impl Settable for Site {
    const SECTION: Section = Section {
        slug: "sites",
        title: "Sites",
        noun: "site",
        intro: "Places within a location, such as a room or a venue.",
        fields: &[
            Field::new("location_id", "Location", K::Reference("locations"))
                .required()
                .listed(),
            NAME,
            Field::new("color", "Colour", K::Colour).listed(),
            Field::new("description", "Description", K::LongText),
            Field::new("address", "Address", K::LongText),
        ],
    };
}

impl Settable for Position {
    const SECTION: Section = Section {
        slug: "positions",
        title: "Positions",
        noun: "position",
        intro: "The roles people fill on a shift, with the hourly rate payroll pays where a person has none.",
        fields: &[
            NAME,
            Field::new("color", "Colour", K::Colour).listed(),
            Field::new("sort", "Order", K::Integer),
            Field::new("hourly_rate_cents", "Hourly rate, in cents", K::Integer).listed(),
        ],
    };
}

impl Settable for Tag {
    const SECTION: Section = Section {
        slug: "tags",
        title: "Tags",
        noun: "tag",
        intro: "Labels to group people by anything else.",
        fields: &[NAME],
    };
}

impl Settable for CompanyHoliday {
    const SECTION: Section = Section {
        slug: "company-days",
        title: "Company days",
        noun: "company day",
        intro: "The company's own days off, and public holidays it works on, beside the country's public holidays.",
        fields: &[
            Field::new("date", "Date", K::Date).required().listed(),
            NAME,
            Field::new("country", "Country", K::Text)
                .listed()
                .hint("Two letters (ISO 3166-1); every country when empty."),
            Field::new(
                "working_day",
                "A working day (a public holiday the company works)",
                K::Flag,
            )
            .listed(),
        ],
    };
}

impl Settable for Annotation {
    const SECTION: Section = Section {
        slug: "closures",
        title: "Closures and announcements",
        noun: "closure or announcement",
        intro: "Days the business is closed, days nobody may take off, and announcements shown on the calendar.",
        fields: &[
            Field::new(
                "kind",
                "Kind",
                K::Choice(&[
                    ("business_closed", "Business closed"),
                    ("no_time_off", "No time off"),
                    ("announcement", "Announcement"),
                ]),
            )
            .required()
            .listed()
            .default("business_closed"),
            Field::new("title", "Title", K::Text).required().listed(),
            Field::new("start_date", "From", K::Date)
                .required()
                .listed(),
            Field::new("end_date", "To", K::Date).required().listed(),
            Field::new("message", "Message", K::LongText),
            Field::new("colour", "Colour", K::Colour),
            Field::new("location_id", "Only at location", K::Reference("locations")),
            Field::new(
                "department_id",
                "Only for department",
                K::Reference("departments"),
            ),
        ],
    };
}
