//! The drug table (`core/data/*.tsv`): ingredients with their classes and other names, and brand
//! or combination names with the ingredients, salt and release form they stand for. Read once, on
//! first use; compiled only into code that reconciles (the viewer never calls it, so it is not in
//! the viewer's download).

use std::collections::HashMap;
use std::sync::OnceLock;

use super::line::Release;

const INGREDIENTS: &str = include_str!("../../data/ingredients.tsv");
const BRANDS: &str = include_str!("../../data/brands.tsv");

/// What a name in the table stands for.
#[derive(Clone, Debug, PartialEq)]
pub struct Product {
    /// Generic names, sorted: one for a single-ingredient drug, several for a combination.
    pub ingredients: Vec<&'static str>,
    /// The salt a brand implies ("succinate" for Toprol XL); `None` for a generic name.
    pub salt: Option<&'static str>,
    /// The release form a brand implies (Toprol XL is extended release).
    pub release: Option<Release>,
    /// Whether the name is a brand (or a combination's name) rather than a generic one.
    pub brand: bool,
}

pub struct DrugTable {
    /// Every name (generic, other name, brand), normalised, to what it stands for.
    names: HashMap<String, Product>,
    /// Ingredient → its classes ("amoxicillin" → ["penicillins", "beta-lactams", "antibiotics"]).
    classes: HashMap<&'static str, Vec<&'static str>>,
}

/// Lower case, single spaces, no dots; hyphens kept as spaces ("Claritin-D" = "claritin d").
pub fn normalise(name: &str) -> String {
    let cleaned: String = name
        .chars()
        .map(|c| if c == '-' || c == '_' { ' ' } else { c.to_ascii_lowercase() })
        .filter(|c| *c != '.')
        .collect();
    cleaned.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn rows(tsv: &'static str) -> impl Iterator<Item = Vec<&'static str>> {
    tsv.lines().filter(|l| !l.trim().is_empty() && !l.starts_with('#')).map(|l| l.split('\t').collect())
}

fn list(cell: Option<&&'static str>) -> Vec<&'static str> {
    cell.map(|c| c.split(';').map(str::trim).filter(|s| !s.is_empty()).collect()).unwrap_or_default()
}

impl DrugTable {
    /// The table in `core/data/`, read once.
    pub fn get() -> &'static DrugTable {
        static TABLE: OnceLock<DrugTable> = OnceLock::new();
        TABLE.get_or_init(|| Self::parse(INGREDIENTS, BRANDS))
    }

    fn parse(ingredients: &'static str, brands: &'static str) -> Self {
        let mut names = HashMap::new();
        let mut classes = HashMap::new();
        for row in rows(ingredients) {
            let ingredient = row[0].trim();
            let generic = Product { ingredients: vec![ingredient], salt: None, release: None, brand: false };
            names.insert(normalise(ingredient), generic.clone());
            for other in list(row.get(2)) {
                names.entry(normalise(other)).or_insert_with(|| generic.clone());
            }
            classes.insert(ingredient, list(row.get(1)));
        }
        for row in rows(brands) {
            let mut ingredients: Vec<&'static str> = row[1].split('+').map(str::trim).collect();
            ingredients.sort_unstable();
            debug_assert!(
                ingredients.iter().all(|i| classes.contains_key(i)),
                "brand {} names an unknown ingredient",
                row[0]
            );
            let salt = row.get(2).map(|s| s.trim()).filter(|s| !s.is_empty());
            let release = row.get(3).and_then(|r| Release::from_word(&r.trim().to_ascii_lowercase()));
            names.insert(normalise(row[0]), Product { ingredients, salt, release, brand: true });
        }
        Self { names, classes }
    }

    /// What a (normalised) name stands for, if the table knows it.
    pub fn lookup(&self, normalised: &str) -> Option<&Product> {
        self.names.get(normalised)
    }

    /// The longest run of leading words the table knows (a brand, a generic, another name), or a
    /// combination written with "/", "-", "+", "and" or "with" whose parts it all knows.
    pub fn resolve(&self, words: &[String]) -> Option<(usize, Product)> {
        for len in (1..=words.len().min(5)).rev() {
            let phrase = words[..len].join(" ");
            if let Some(product) = self.lookup(&normalise(&phrase)) {
                return Some((len, product.clone()));
            }
            let parts: Vec<&str> = phrase
                .split(['/', '+', '-', '&'])
                .flat_map(|p| p.split(" and ").flat_map(|q| q.split(" with ")))
                .map(str::trim)
                .filter(|p| !p.is_empty())
                .collect();
            if parts.len() > 1 {
                let products: Option<Vec<&Product>> = parts.iter().map(|p| self.lookup(&normalise(p))).collect();
                if let Some(products) = products {
                    let mut ingredients: Vec<&'static str> =
                        products.iter().flat_map(|p| p.ingredients.iter().copied()).collect();
                    ingredients.sort_unstable();
                    ingredients.dedup();
                    return Some((len, Product { ingredients, salt: None, release: None, brand: false }));
                }
            }
        }
        None
    }

    /// The ingredients a medication's name stands for ("Tylenol 500 mg" → acetaminophen), from its
    /// leading words; empty when the table does not know it.
    pub fn ingredients_of(&self, name: &str) -> Vec<&'static str> {
        let words: Vec<String> = name.split_whitespace().map(str::to_ascii_lowercase).collect();
        self.resolve(&words).map(|(_, p)| p.ingredients).unwrap_or_default()
    }

    /// The classes of an ingredient ("penicillins", "nsaids", …).
    pub fn classes(&self, ingredient: &str) -> &[&'static str] {
        self.classes.get(ingredient).map_or(&[], Vec::as_slice)
    }

    /// Whether `name` (normalised) is a drug class the table uses, allowing a singular
    /// ("penicillin" for "penicillins") and the words allergy lists use ("sulfa").
    pub fn class_named(&self, name: &str) -> Option<&'static str> {
        let wanted = match name {
            "sulfa" | "sulfa drugs" | "sulpha" | "sulfonamides" | "sulphonamides" => "sulfonamide antibiotics",
            "nsaid" | "nsaids" | "anti inflammatories" => "nsaids",
            "opiates" | "opiate" | "narcotics" => "opioids",
            "ace inhibitor" => "ace inhibitors",
            "statin" => "statins",
            other => other,
        };
        let plural = format!("{wanted}s");
        self.classes.values().flatten().copied().find(|c| *c == wanted || *c == plural)
    }

    /// The table's name closest to `normalised` when it is one typing slip away (one letter
    /// wrong, missing, extra or two swapped) and no other name is nearly as close: a confident
    /// reading of a misspelling. Sound-alike pairs (Celebrex / Celexa) are further apart than that.
    pub fn near_miss(&self, normalised: &str) -> Option<(&str, &Product)> {
        if normalised.chars().count() < 6 {
            return None;
        }
        let close: Vec<(usize, &str, &Product)> = self
            .names
            .iter()
            .map(|(name, product)| (strsim::damerau_levenshtein(normalised, name), name.as_str(), product))
            .filter(|(distance, ..)| *distance <= 2)
            .collect();
        let (_, name, product) = close.iter().filter(|c| c.0 == 1).min_by_key(|c| c.1)?;
        // Another drug within two slips makes the reading a guess, not a correction.
        if close.iter().any(|c| c.2.ingredients != product.ingredients) {
            return None;
        }
        Some((name, product))
    }

    pub fn ingredient_count(&self) -> usize {
        self.classes.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_brand_names_known_ingredients_and_the_table_is_large_enough() {
        let table = DrugTable::get();
        assert!(table.ingredient_count() >= 200, "{} ingredients", table.ingredient_count());
        for row in rows(BRANDS) {
            for ingredient in row[1].split('+') {
                assert!(table.classes.contains_key(ingredient.trim()), "{}: unknown {ingredient}", row[0]);
            }
            assert!(row.get(3).is_none_or(|r| r.trim().is_empty() || Release::from_word(&r.trim().to_ascii_lowercase()).is_some()));
        }
        let combination = table.lookup("zestoretic").unwrap();
        assert_eq!(combination.ingredients, ["hydrochlorothiazide", "lisinopril"]);
        assert_eq!(table.lookup("paracetamol").unwrap().ingredients, ["acetaminophen"]);
        assert_eq!(table.class_named("penicillin"), Some("penicillins"));
        assert_eq!(table.class_named("sulfa"), Some("sulfonamide antibiotics"));
    }

    #[test]
    fn near_misses_are_one_slip_away_and_unambiguous() {
        let table = DrugTable::get();
        assert_eq!(table.near_miss("metfromin").map(|(n, _)| n), Some("metformin"));
        assert_eq!(table.near_miss("lisinoprill").map(|(n, _)| n), Some("lisinopril"));
        assert_eq!(table.near_miss("celebrex"), None, "an exact name is not a near miss of another");
        assert_eq!(table.near_miss("xyz"), None);
    }
}
