//! Charts drawn on the server as SVG: horizontal bars, one row per label, each bar as long
//! as its value is against the largest. The geometry is worked out here; the markup is the
//! `bars` macro of `templates/chart.html`, so every label is escaped as page text is.
//! Colours are `fill` attributes (presentation, not style: the page's CSP forbids inline
//! style), from six-digit hexadecimal only.

/// The width of the label column, the bars' longest length and one row's height, in
/// SVG user units.
const LABEL_WIDTH: u32 = 130;
const BAR_SPACE: u32 = 200;
const ROW: u32 = 26;
const BAR_HEIGHT: u32 = 18;
/// Room after the longest bar for its value.
const VALUE_WIDTH: u32 = 80;
/// The fill of a bar without a colour of its own.
const DEFAULT_FILL: &str = "#4a6fa5";

/// A chart ready to draw.
#[derive(Debug)]
pub struct BarChart {
    /// The id of its `<title>`, unique on the page.
    pub id: &'static str,
    pub title: String,
    pub width: u32,
    pub height: u32,
    pub bars: Vec<Bar>,
}

/// One row of a chart.
#[derive(Debug, PartialEq, Eq)]
pub struct Bar {
    pub label: String,
    /// The value as people read it, written after the bar.
    pub value_text: String,
    /// The top of the row.
    pub y: u32,
    /// The bar's length; 0 for nothing, at least 1 for anything.
    pub length: u32,
    pub fill: String,
    /// Where the bar starts and where its value is written.
    pub bar_x: u32,
    pub value_x: u32,
    /// The baseline of the row's texts.
    pub text_y: u32,
    pub bar_height: u32,
}

/// What a row shows before it is laid out.
pub struct Row {
    pub label: String,
    pub value: i64,
    pub value_text: String,
    /// Six hexadecimal digits, without `#`; anything else draws in the default colour.
    pub colour: Option<String>,
}

impl BarChart {
    /// Lays out `rows` in their order; negative values draw as nothing.
    pub fn new(id: &'static str, title: impl Into<String>, rows: Vec<Row>) -> Self {
        let largest = rows.iter().map(|r| r.value).max().unwrap_or(0).max(1);
        let count = u32::try_from(rows.len()).unwrap_or(u32::MAX);
        let bars = rows
            .into_iter()
            .zip(0u32..)
            .map(|(row, i)| {
                let y = i * ROW;
                Bar {
                    length: length(row.value, largest),
                    fill: fill(row.colour.as_deref()),
                    label: row.label,
                    value_text: row.value_text,
                    y: y + (ROW - BAR_HEIGHT) / 2,
                    bar_x: LABEL_WIDTH,
                    value_x: LABEL_WIDTH + length(row.value, largest) + 6,
                    text_y: y + ROW / 2 + 5,
                    bar_height: BAR_HEIGHT,
                }
            })
            .collect();
        Self {
            id,
            title: title.into(),
            width: LABEL_WIDTH + BAR_SPACE + VALUE_WIDTH,
            height: count.max(1) * ROW,
            bars,
        }
    }
}

/// A bar's length for `value` when `largest` fills the space.
fn length(value: i64, largest: i64) -> u32 {
    if value <= 0 {
        return 0;
    }
    let scaled = value.saturating_mul(i64::from(BAR_SPACE)) / largest;
    u32::try_from(scaled.clamp(1, i64::from(BAR_SPACE))).unwrap_or(BAR_SPACE)
}

/// `#rrggbb` from six hexadecimal digits; the default colour from anything else.
fn fill(colour: Option<&str>) -> String {
    match colour {
        Some(hex) if hex.len() == 6 && hex.bytes().all(|b| b.is_ascii_hexdigit()) => {
            format!("#{hex}")
        }
        _ => DEFAULT_FILL.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(label: &str, value: i64, colour: Option<&str>) -> Row {
        Row {
            label: label.to_owned(),
            value,
            value_text: value.to_string(),
            colour: colour.map(str::to_owned),
        }
    }

    #[test]
    fn the_largest_value_fills_the_space_and_the_rest_in_proportion() {
        let chart = BarChart::new(
            "c",
            "Leave",
            vec![
                row("Holiday", 10, Some("4a90d9")),
                row("Sick", 5, None),
                row("None", 0, None),
                row("Tiny", 1, None),
            ],
        );
        let lengths: Vec<u32> = chart.bars.iter().map(|b| b.length).collect();
        assert_eq!(lengths, [BAR_SPACE, BAR_SPACE / 2, 0, BAR_SPACE / 10]);
        assert_eq!(chart.bars[0].fill, "#4a90d9");
        assert_eq!(chart.bars[1].fill, DEFAULT_FILL);
        assert_eq!(chart.height, 4 * ROW);
        assert!(chart.bars[1].y > chart.bars[0].y);
        assert_eq!(chart.bars[1].value_x, LABEL_WIDTH + BAR_SPACE / 2 + 6);
    }

    #[test]
    fn anything_but_six_hex_digits_draws_in_the_default_colour() {
        assert_eq!(fill(Some("ABCDEF")), "#ABCDEF");
        assert_eq!(fill(Some("red")), DEFAULT_FILL);
        assert_eq!(fill(Some("\"><script")), DEFAULT_FILL);
        assert_eq!(fill(Some("12345g")), DEFAULT_FILL);
    }

    #[test]
    fn a_tiny_value_still_shows_and_nothing_or_less_draws_nothing() {
        assert_eq!(length(1, 100_000), 1);
        assert_eq!(length(-5, 10), 0);
        let empty = BarChart::new("e", "Nothing", Vec::new());
        assert!(empty.bars.is_empty());
        assert_eq!(empty.height, ROW);
    }
}
