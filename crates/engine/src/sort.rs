//! Stable sorting with one compiled sorting routine for every element type: the standard
//! library's sorts are generic over the element and the comparison, and each of the engine's
//! sorts compiled to its own 1-4 KB copy in the wasm build. Here only the short permutation step
//! is generic; the sort itself orders indexes through a `dyn` comparison.

use std::cmp::Ordering;

/// Sorts `items` by `compare`, keeping equal items in their order (as `slice::sort_by`).
pub fn by<T>(items: &mut [T], compare: impl Fn(&T, &T) -> Ordering) {
    let order = stable_order(items.len(), &|a, b| compare(&items[a], &items[b]));
    permute(items, order);
}

/// Sorts `items` by `key`, keeping equal items in their order (as `slice::sort_by_key`).
pub fn by_key<T, K: Ord>(items: &mut [T], key: impl Fn(&T) -> K) {
    by(items, |a, b| key(a).cmp(&key(b)));
}

/// Sorts `items` in ascending order (as `slice::sort`).
pub fn ascending<T: Ord>(items: &mut [T]) {
    by(items, T::cmp);
}

/// The indexes `0..len` ordered by `compare`, ties in index order.
fn stable_order(len: usize, compare: &dyn Fn(usize, usize) -> Ordering) -> Vec<usize> {
    let mut order: Vec<usize> = (0..len).collect();
    order.sort_by(|&a, &b| compare(a, b));
    order
}

/// Moves the item at `order[i]` to position `i`, following each cycle of the permutation once.
fn permute<T>(items: &mut [T], mut order: Vec<usize>) {
    for start in 0..order.len() {
        let mut at = start;
        while order[at] != start {
            let from = order[at];
            items.swap(at, from);
            order[at] = at;
            at = from;
        }
        order[at] = at;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sorts_like_the_standard_stable_sort() {
        let mut seed = 7u64;
        for len in [0, 1, 2, 3, 10, 57, 300] {
            let items: Vec<(u8, usize)> = (0..len)
                .map(|i| {
                    seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
                    ((seed >> 59) as u8, i)
                })
                .collect();
            let mut expected = items.clone();
            expected.sort_by_key(|&(k, _)| k);
            let mut got = items.clone();
            by_key(&mut got, |&(k, _)| k);
            assert_eq!(got, expected, "by_key, {len} items");
            let mut expected = items.clone();
            expected.sort_by(|a, b| (a.0 % 3).cmp(&(b.0 % 3)).then(b.0.cmp(&a.0)));
            let mut got = items.clone();
            by(&mut got, |a, b| (a.0 % 3).cmp(&(b.0 % 3)).then(b.0.cmp(&a.0)));
            assert_eq!(got, expected, "by, {len} items");
            let mut expected = items.clone();
            expected.sort();
            let mut got = items;
            ascending(&mut got);
            assert_eq!(got, expected, "ascending, {len} items");
        }
    }
}
