//! The countries of ISO 3166-1, with their numeric, two- and three-letter codes, whether
//! they are members of the European Union, and whether Rota knows their public holidays:
//! what a face offers to pick a person's or a company's country from.

use isocountry::CountryCode;

/// The 27 member states of the European Union, by ISO 3166-1 alpha-2 code.
const EU_MEMBERS: [&str; 27] = [
    "AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GR", "HR", "HU", "IE", "IT",
    "LT", "LU", "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK",
];

/// A country.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Country {
    /// ISO 3166-1 numeric (826 for the United Kingdom).
    pub numeric: u32,
    pub name: &'static str,
    /// ISO 3166-1 alpha-2 (`GB`), the code Rota stores.
    pub alpha2: &'static str,
    /// ISO 3166-1 alpha-3 (`GBR`).
    pub alpha3: &'static str,
    pub eu_member: bool,
    /// Whether Rota knows its public holidays.
    pub public_holidays: bool,
}

/// What to look countries up by.
#[derive(Debug, Clone, Default)]
pub struct CountryFilter {
    /// Part of the name, in any case.
    pub name: Option<String>,
    /// Only countries whose public holidays Rota knows.
    pub public_holidays_only: bool,
}

/// The countries that match `filter`, by name.
pub fn lookup(filter: &CountryFilter) -> Vec<Country> {
    let wanted = filter
        .name
        .as_deref()
        .map(str::trim)
        .filter(|name| !name.is_empty())
        .map(str::to_lowercase);
    let mut countries: Vec<Country> = CountryCode::iter()
        .map(|code| Country {
            numeric: code.numeric_id(),
            name: code.name(),
            alpha2: code.alpha2(),
            alpha3: code.alpha3(),
            eu_member: EU_MEMBERS.contains(&code.alpha2()),
            public_holidays: crate::holidays::knows(code.alpha2()),
        })
        .filter(|country| !filter.public_holidays_only || country.public_holidays)
        .filter(|country| {
            wanted
                .as_deref()
                .is_none_or(|name| country.name.to_lowercase().contains(name))
        })
        .collect();
    countries.sort_by(|a, b| a.name.cmp(b.name));
    countries
}

#[cfg(test)]
mod tests {
    use super::*;

    fn find(alpha2: &str) -> Country {
        lookup(&CountryFilter::default())
            .into_iter()
            .find(|c| c.alpha2 == alpha2)
            .expect("known country")
    }

    #[test]
    fn each_country_has_its_three_codes() {
        let gb = find("GB");
        assert_eq!((gb.numeric, gb.alpha3), (826, "GBR"));
        assert!(!gb.eu_member);
        let fr = find("FR");
        assert_eq!((fr.numeric, fr.alpha3), (250, "FRA"));
        assert!(fr.eu_member);
        assert!(lookup(&CountryFilter::default()).len() >= 249);
    }

    #[test]
    fn every_eu_member_is_a_country() {
        for code in EU_MEMBERS {
            assert!(find(code).eu_member, "{code}");
        }
    }

    #[test]
    fn names_match_in_any_case_and_holiday_countries_can_be_asked_for() {
        let found = lookup(&CountryFilter {
            name: Some("  germ ".into()),
            public_holidays_only: false,
        });
        assert_eq!(found.iter().map(|c| c.alpha2).collect::<Vec<_>>(), ["DE"]);
        let with_holidays = lookup(&CountryFilter {
            name: None,
            public_holidays_only: true,
        });
        assert!(with_holidays.iter().all(|c| c.public_holidays));
        assert!(with_holidays.iter().any(|c| c.alpha2 == "GB"));
        assert!(with_holidays.len() < lookup(&CountryFilter::default()).len());
    }
}
