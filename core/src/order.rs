//! The one ordering the app's short lists use: a section's rows, the binder switcher's names.

/// The items of `keyed` ordered by the key each comes with, smallest first; items with equal keys
/// keep their order. The keys are worked out once, before sorting.
///
/// An insertion sort: the lists are short, and its code is a fraction of the standard sort's,
/// which every patient downloads (the sections' rows share one copy: their key and item types are
/// the same).
pub fn ordered<K: PartialOrd, T>(mut keyed: Vec<(K, T)>) -> Vec<T> {
    for i in 1..keyed.len() {
        let mut j = i;
        while j > 0 && keyed[j - 1].0 > keyed[j].0 {
            keyed.swap(j - 1, j);
            j -= 1;
        }
    }
    keyed.into_iter().map(|(_, item)| item).collect()
}

#[cfg(test)]
mod tests {
    use super::ordered;

    #[test]
    fn orders_by_key_and_keeps_ties_in_their_order() {
        let keyed = vec![(2, "b"), (1, "a"), (2, "c"), (0, "d"), (1, "e")];
        assert_eq!(ordered(keyed), ["d", "a", "e", "b", "c"]);
        let names = ["Zoe", "Ada", "Byron"].map(|n| (n.to_owned(), n));
        assert_eq!(ordered(names.to_vec()), ["Ada", "Byron", "Zoe"]);
        assert!(ordered(Vec::<(u8, u8)>::new()).is_empty());
    }
}
