//! A posted form read by field name: the pages whose forms hold lists (checkboxes under
//! one name) or whose fields count only when present read it through [`Fields`].

/// A posted form's fields in order, repeated names (checkboxes) included.
#[derive(serde::Deserialize, Default, Debug)]
#[serde(transparent)]
pub struct Fields(Vec<(String, String)>);

impl From<Vec<(String, String)>> for Fields {
    fn from(pairs: Vec<(String, String)>) -> Self {
        Self(pairs)
    }
}

#[cfg(test)]
impl Fields {
    /// A form of `pairs`, for tests.
    pub fn of(pairs: &[(&str, &str)]) -> Self {
        Self(
            (pairs.iter())
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                .collect(),
        )
    }
}

impl Fields {
    /// The value of `name` as posted, when the form holds it.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.as_str())
    }

    /// The value of `name` as posted; empty when absent.
    pub fn one(&self, name: &str) -> &str {
        self.get(name).unwrap_or_default()
    }

    /// The value of `name`, trimmed, when the form holds it.
    pub fn trimmed(&self, name: &str) -> Option<&str> {
        self.get(name).map(str::trim)
    }

    /// Every value of `name`.
    pub fn all(&self, name: &str) -> Vec<String> {
        self.0
            .iter()
            .filter(|(key, _)| key == name)
            .map(|(_, value)| value.clone())
            .collect()
    }

    /// Whether `name` is posted: a ticked checkbox, or a list's marker.
    pub fn ticked(&self, name: &str) -> bool {
        self.get(name).is_some()
    }

    /// The optional text `name`: absent when blank.
    pub fn text(&self, name: &str) -> Option<String> {
        Some(self.one(name).trim().to_owned()).filter(|text| !text.is_empty())
    }

    /// The optional text `name` as a change: absent when the form does not hold it, a
    /// blank one clearing it.
    pub fn change(&self, name: &str) -> Option<Option<String>> {
        self.trimmed(name)
            .map(|value| Some(value.to_owned()).filter(|v| !v.is_empty()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_field_absent_differs_from_one_left_blank() {
        let form = Fields::from(vec![
            ("title".to_owned(), " ".to_owned()),
            ("tags".to_owned(), "1".to_owned()),
            ("tags".to_owned(), "2".to_owned()),
            ("name".to_owned(), " Ann ".to_owned()),
        ]);
        assert_eq!(form.change("title"), Some(None), "blank clears");
        assert_eq!(form.change("notes"), None, "absent stays");
        assert_eq!(form.trimmed("name"), Some("Ann"));
        assert_eq!(form.one("name"), " Ann ", "as posted");
        assert_eq!(form.text("title"), None);
        assert_eq!(form.all("tags"), ["1", "2"]);
        assert!(form.ticked("tags") && !form.ticked("notes"));
    }
}
