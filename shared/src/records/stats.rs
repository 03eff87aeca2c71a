//! The statistics reports show: nearest-rank percentiles, CSAT and NPS.

use serde::{Deserialize, Serialize};

/// The `p`-th percentile (0 < p ≤ 100) of `values` by nearest rank: the smallest value with at
/// least p % of the values at or below it. `None` for no values. Sorts `values`.
pub fn percentile(values: &mut [i64], p: u32) -> Option<i64> {
    if values.is_empty() {
        return None;
    }
    values.sort_unstable();
    let n = values.len();
    // ceil(p/100 · n) without floating point, clamped to 1..=n.
    let rank = (p.min(100) as usize * n).div_ceil(100).clamp(1, n);
    values.get(rank - 1).copied()
}

/// The median (the 50th percentile by nearest rank: the lower middle of an even count).
pub fn median(values: &mut [i64]) -> Option<i64> {
    percentile(values, 50)
}

/// Lowest and highest CSAT answer.
pub const CSAT_RANGE: std::ops::RangeInclusive<u8> = 1..=5;
/// Lowest and highest NPS answer.
pub const NPS_RANGE: std::ops::RangeInclusive<u8> = 0..=10;

/// CSAT answers counted by score.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Csat {
    /// `counts[s - 1]` answers gave the score `s` (1–5).
    pub counts: [u32; 5],
}

impl Csat {
    /// Counts `score`; a score outside 1–5 is ignored.
    pub fn add(&mut self, score: u8) {
        if let Some(slot) = usize::from(score)
            .checked_sub(1)
            .and_then(|i| self.counts.get_mut(i))
        {
            *slot += 1;
        }
    }

    /// How many answered.
    pub fn answers(&self) -> u32 {
        self.counts.iter().sum()
    }

    /// The average score, `None` without answers.
    pub fn average(&self) -> Option<f64> {
        let n = self.answers();
        if n == 0 {
            return None;
        }
        let total: u32 = (1u32..).zip(self.counts).map(|(s, c)| s * c).sum();
        Some(f64::from(total) / f64::from(n))
    }

    /// Share of satisfied answers (4 or 5), in percent; `None` without answers.
    pub fn satisfied_percent(&self) -> Option<f64> {
        let n = self.answers();
        (n > 0).then(|| f64::from(self.counts[3] + self.counts[4]) * 100.0 / f64::from(n))
    }
}

/// The three NPS bands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum NpsBand {
    /// 0–6.
    Detractor,
    /// 7–8.
    Passive,
    /// 9–10.
    Promoter,
}

impl NpsBand {
    /// The band of an answer; `None` outside 0–10.
    pub fn of(score: u8) -> Option<NpsBand> {
        match score {
            0..=6 => Some(NpsBand::Detractor),
            7 | 8 => Some(NpsBand::Passive),
            9 | 10 => Some(NpsBand::Promoter),
            _ => None,
        }
    }

    /// Its name in URLs and exports.
    pub fn as_str(self) -> &'static str {
        match self {
            NpsBand::Detractor => "detractor",
            NpsBand::Passive => "passive",
            NpsBand::Promoter => "promoter",
        }
    }

    /// The band a URL or export names.
    pub fn parse(s: &str) -> Option<NpsBand> {
        [NpsBand::Detractor, NpsBand::Passive, NpsBand::Promoter]
            .into_iter()
            .find(|b| b.as_str() == s)
    }
}

/// NPS answers counted by band.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Nps {
    /// Answers 0–6.
    pub detractors: u32,
    /// Answers 7–8.
    pub passives: u32,
    /// Answers 9–10.
    pub promoters: u32,
}

impl Nps {
    /// Counts `score`; a score outside 0–10 is ignored.
    pub fn add(&mut self, score: u8) {
        match NpsBand::of(score) {
            Some(NpsBand::Detractor) => self.detractors += 1,
            Some(NpsBand::Passive) => self.passives += 1,
            Some(NpsBand::Promoter) => self.promoters += 1,
            None => {}
        }
    }

    /// How many answered.
    pub fn answers(&self) -> u32 {
        self.detractors + self.passives + self.promoters
    }

    /// The Net Promoter Score: % promoters − % detractors, from −100 to 100; `None` without
    /// answers.
    pub fn score(&self) -> Option<f64> {
        let n = self.answers();
        (n > 0).then(|| {
            (f64::from(self.promoters) - f64::from(self.detractors)) * 100.0 / f64::from(n)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentiles_use_the_nearest_rank() {
        let mut v: Vec<i64> = (1..=10).rev().collect();
        assert_eq!(median(&mut v), Some(5));
        assert_eq!(percentile(&mut v, 90), Some(9));
        assert_eq!(percentile(&mut v, 100), Some(10));
        assert_eq!(percentile(&mut v, 1), Some(1));
        assert_eq!(median(&mut [42]), Some(42));
        assert_eq!(percentile(&mut [42], 90), Some(42));
        assert_eq!(median(&mut []), None);
        // Odd count: the middle one; p90 of 11 values is the 10th.
        let mut odd: Vec<i64> = (0..11).collect();
        assert_eq!(median(&mut odd), Some(5));
        assert_eq!(percentile(&mut odd, 90), Some(9));
    }

    #[test]
    fn csat_average_distribution_and_satisfaction() {
        let mut c = Csat::default();
        assert_eq!(c.average(), None);
        for s in [5, 4, 4, 1, 0, 6] {
            c.add(s);
        }
        assert_eq!(c.counts, [1, 0, 0, 2, 1]);
        assert_eq!(c.answers(), 4);
        assert_eq!(c.average(), Some(3.5));
        assert_eq!(c.satisfied_percent(), Some(75.0));
    }

    #[test]
    fn nps_is_promoters_minus_detractors_in_percent() {
        let mut n = Nps::default();
        assert_eq!(n.score(), None);
        // 5 promoters, 3 passives, 2 detractors of 10: 50 % − 20 % = 30.
        for s in [10, 9, 9, 10, 9, 8, 7, 7, 6, 0] {
            n.add(s);
        }
        n.add(11);
        assert_eq!((n.promoters, n.passives, n.detractors), (5, 3, 2));
        assert_eq!(n.score(), Some(30.0));
        let all_detractors = Nps {
            detractors: 3,
            ..Nps::default()
        };
        assert_eq!(all_detractors.score(), Some(-100.0));
    }

    #[test]
    fn bands_cover_zero_to_ten_and_round_trip() {
        assert_eq!(NpsBand::of(0), Some(NpsBand::Detractor));
        assert_eq!(NpsBand::of(6), Some(NpsBand::Detractor));
        assert_eq!(NpsBand::of(7), Some(NpsBand::Passive));
        assert_eq!(NpsBand::of(8), Some(NpsBand::Passive));
        assert_eq!(NpsBand::of(9), Some(NpsBand::Promoter));
        assert_eq!(NpsBand::of(10), Some(NpsBand::Promoter));
        assert_eq!(NpsBand::of(11), None);
        for b in [NpsBand::Detractor, NpsBand::Passive, NpsBand::Promoter] {
            assert_eq!(NpsBand::parse(b.as_str()), Some(b));
        }
        assert_eq!(NpsBand::parse("Promoter"), None);
    }
}
