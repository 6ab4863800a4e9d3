//! Numbers as people read them: [`plain`] as written in a position file (`90`, `22.5`),
//! [`num`] rounded to at most two decimals (`33.33`), [`round2`] to exactly two (`44.00`).
//!
//! Rounding is half away from zero on the shortest decimal that reads back as the same f64
//! (1.005 shows as 1.01), and happens only for display, never between steps of a
//! computation (kpi-scoring.md).

/// A count and its English noun: `1 position`, `3 positions` (for the terminal's lines).
pub fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("{n} {word}")
    } else {
        format!("{n} {word}s")
    }
}

/// A number as written: a whole number without a fraction (`90`, not `90.0`), any other
/// in full (`22.5`, `0.125`), never an exponent. `-0` shows as `0`.
pub fn plain(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 1e15 {
        format!("{}", v as i64)
    } else {
        format!("{v}")
    }
}

/// Rounds half away from zero to `places` decimals, on the number as written (the shortest
/// decimal that reads back as the same f64), so 1.005 shows as 1.01 and 2.675 as 2.68.
pub fn round_to(x: f64, places: usize) -> String {
    let mut out = String::new();
    round_into(&mut out, x, places, false);
    out
}

/// [`round_to`] as a number: what a cell shows, for outputs that hold numbers (CSV, XLSX).
pub fn rounded(x: f64, places: usize) -> f64 {
    if !x.is_finite() {
        return x;
    }
    // Away from a tie, the nearest multiple of 10^-places is the same whether found in binary
    // or on the decimal digits, and n / 10^places (both exact) is correctly rounded, as the
    // parse of its digits is: only a near tie needs the digits.
    if let Ok(p) = i32::try_from(places)
        && p <= 15
    {
        let scale = 10f64.powi(p);
        let y = x * scale;
        if y.abs() < 1e15 && ((y - y.trunc()).abs() - 0.5).abs() > 1e-6 {
            return y.round() / scale + 0.0;
        }
    }
    round_to(x, places).parse().unwrap_or(x)
}

/// Two decimals, always: scores and totals (`44.00`).
pub fn round2(x: f64) -> String {
    round_to(x, 2)
}

/// Up to two decimals, trailing zeros dropped: actuals, targets, weights (`99`, `22.5`).
pub fn num(x: f64) -> String {
    let mut out = String::new();
    round_into(&mut out, x, 2, true);
    out
}

/// [`round_to`] appended to `out`, with trailing zeros (and a bare `.`) dropped when `trim`.
/// Scorecards format several numbers per KPI row, hundreds of thousands in a large run:
/// this works on the bytes of one formatted number, with no allocation of its own when the
/// number is short.
pub fn round_into(out: &mut String, x: f64, places: usize, trim: bool) {
    use std::fmt::Write as _;
    if !x.is_finite() {
        out.push('—');
        return;
    }
    if round_fast(out, x, places, trim) {
        return;
    }
    // The shortest decimal, e.g. `2.675`; f64's Display never uses an exponent.
    let mut buf = DigitBuf::default();
    let _ = write!(buf, "{}", x.abs());
    let s = buf.as_bytes();
    let (int, frac) = match s.iter().position(|&b| b == b'.') {
        Some(i) => (&s[..i], &s[i + 1..]),
        None => (s, &s[s.len()..]),
    };
    // The kept digits, integer part then `places` decimals, with one spare in front for a
    // carry out of the top digit.
    let mut digits = DigitBuf::default();
    digits.push(b'0');
    digits.extend(int);
    for i in 0..places {
        digits.push(frac.get(i).copied().unwrap_or(b'0'));
    }
    let d = digits.as_bytes_mut();
    if frac.get(places).is_some_and(|&b| b >= b'5') {
        for b in d.iter_mut().rev() {
            if *b == b'9' {
                *b = b'0';
            } else {
                *b += 1;
                break;
            }
        }
    }
    let d = if d[0] == b'0' { &d[1..] } else { &d[..] };
    let zero = d.iter().all(|&b| b == b'0');
    if x < 0.0 && !zero {
        out.push('-');
    }
    let split = d.len() - places;
    let (ip, mut fp) = d.split_at(split);
    if trim {
        while let [rest @ .., b'0'] = fp {
            fp = rest;
        }
    }
    // Only ASCII digits were written.
    out.push_str(std::str::from_utf8(ip).unwrap_or_default());
    if !fp.is_empty() {
        out.push('.');
        out.push_str(std::str::from_utf8(fp).unwrap_or_default());
    }
}

/// [`round_into`] without the shortest decimal, for an ordinary number (below 10^9 in units
/// of the last place kept) away from a tie: then the nearest multiple of 10^-places is the
/// same whether found in binary or on the decimal digits (the error of `x * 10^places` is
/// under 2^-22 there, the distance to a tie over 10^-6), and formatting the shortest decimal
/// first was most of the cost. Returns false, writing nothing, when the digits are needed.
fn round_fast(out: &mut String, x: f64, places: usize, trim: bool) -> bool {
    let Some(unit) = u32::try_from(places)
        .ok()
        .and_then(|p| 10u64.checked_pow(p))
    else {
        return false;
    };
    let y = x.abs() * unit as f64;
    if !(y < 1e9 && ((y - y.trunc()) - 0.5).abs() > 1e-6) {
        return false;
    }
    // y >= 0 and away from a tie: adding a half and truncating rounds it.
    let n = (y + 0.5) as u64;
    if x < 0.0 && n != 0 {
        out.push('-');
    }
    push_digits(out, n / unit, 1);
    let (mut frac, mut width) = (n % unit, places);
    if trim {
        while width > 0 && frac % 10 == 0 {
            frac /= 10;
            width -= 1;
        }
    }
    if width > 0 {
        out.push('.');
        push_digits(out, frac, width);
    }
    true
}

/// `n` in decimal, zero-padded to at least `width` digits.
fn push_digits(out: &mut String, mut n: u64, width: usize) {
    let mut digits = [b'0'; 20];
    let mut i = digits.len();
    while n != 0 || digits.len() - i < width {
        i -= 1;
        digits[i] = b'0' + (n % 10) as u8;
        n /= 10;
    }
    // Only ASCII digits were written.
    out.push_str(std::str::from_utf8(&digits[i..]).unwrap_or_default());
}

/// A byte buffer on the stack for one formatted f64, spilling to the heap past 40 bytes
/// (numbers of 10^39 and more, or below 10^-20: up to 327 characters for the smallest
/// subnormal). Small, because it is filled with zeros for every number formatted.
struct DigitBuf {
    len: usize,
    stack: [u8; 40],
    heap: Vec<u8>,
}

impl Default for DigitBuf {
    fn default() -> Self {
        DigitBuf {
            len: 0,
            stack: [0; 40],
            heap: Vec::new(),
        }
    }
}

impl DigitBuf {
    fn push(&mut self, b: u8) {
        self.extend(&[b]);
    }

    fn extend(&mut self, bytes: &[u8]) {
        if self.heap.is_empty() && self.len + bytes.len() <= self.stack.len() {
            self.stack[self.len..self.len + bytes.len()].copy_from_slice(bytes);
            self.len += bytes.len();
        } else {
            if self.heap.is_empty() {
                self.heap.extend_from_slice(&self.stack[..self.len]);
            }
            self.heap.extend_from_slice(bytes);
        }
    }

    fn as_bytes(&self) -> &[u8] {
        if self.heap.is_empty() {
            &self.stack[..self.len]
        } else {
            &self.heap
        }
    }

    fn as_bytes_mut(&mut self) -> &mut [u8] {
        if self.heap.is_empty() {
            &mut self.stack[..self.len]
        } else {
            &mut self.heap
        }
    }
}

impl std::fmt::Write for DigitBuf {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        self.extend(s.as_bytes());
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rounded_is_the_number_round_to_shows() {
        assert_eq!(rounded(1.005, 2), 1.01);
        assert_eq!(rounded(2.675, 2), 2.68);
        assert_eq!(rounded(-2.675, 2), -2.68);
        assert_eq!(rounded(92.0 / 90.0, 4), 1.0222);
        assert_eq!(rounded(81.714_285_714_285_71, 2), 81.71);
        assert_eq!(rounded(-0.001, 2).to_bits(), 0f64.to_bits());
        // The fast path and the digits agree, ties included.
        for i in -20_000..20_000 {
            for x in [
                i as f64 / 997.0,
                i as f64 / 1000.0 + 0.005,
                i as f64 * 1.000_05,
            ] {
                for places in [2, 4] {
                    let digits: f64 = round_to(x, places).parse().unwrap();
                    assert_eq!(rounded(x, places), digits + 0.0, "{x} to {places}");
                }
            }
        }
    }

    #[test]
    fn plain_numbers_read_as_written() {
        assert_eq!(plain(90.0), "90");
        assert_eq!(plain(-0.0), "0");
        assert_eq!(plain(22.5), "22.5");
        assert_eq!(plain(0.125), "0.125");
        assert_eq!(plain(1e15), "1000000000000000");
        assert_eq!(plain(2e20), "200000000000000000000");
        assert_eq!(plain(f64::INFINITY), "inf");
    }

    #[test]
    fn rounds_half_away_from_zero_for_display_only() {
        assert_eq!(round2(1.005), "1.01");
        assert_eq!(round2(2.675), "2.68");
        assert_eq!(round2(-2.675), "-2.68");
        assert_eq!(round2(0.125), "0.13");
        assert_eq!(round2(99.995), "100.00");
        assert_eq!(round2(90.5), "90.50");
        assert_eq!(round2(-0.001), "0.00");
        assert_eq!(num(22.5), "22.5");
        assert_eq!(num(40.0), "40");
        assert_eq!(num(100.0 / 3.0), "33.33");
    }

    /// The first, allocation-heavy version of [`round_to`]: digits as a vector, carried by hand.
    fn round_to_reference(x: f64, places: usize) -> String {
        if !x.is_finite() {
            return "—".into();
        }
        let s = format!("{}", x.abs());
        let (int, frac) = s.split_once('.').unwrap_or((&s, ""));
        let mut digits: Vec<u8> = int.bytes().map(|b| b - b'0').collect();
        let fb: Vec<u8> = frac.bytes().map(|b| b - b'0').collect();
        for i in 0..places {
            digits.push(fb.get(i).copied().unwrap_or(0));
        }
        if fb.get(places).is_some_and(|d| *d >= 5) {
            let mut i = digits.len();
            loop {
                if i == 0 {
                    digits.insert(0, 1);
                    break;
                }
                i -= 1;
                if digits[i] == 9 {
                    digits[i] = 0;
                } else {
                    digits[i] += 1;
                    break;
                }
            }
        }
        let split = digits.len() - places;
        let ip: String = digits[..split].iter().map(|d| (b'0' + d) as char).collect();
        let fp: String = digits[split..].iter().map(|d| (b'0' + d) as char).collect();
        let zero = digits.iter().all(|d| *d == 0);
        let sign = if x < 0.0 && !zero { "-" } else { "" };
        if places == 0 {
            format!("{sign}{ip}")
        } else {
            format!("{sign}{ip}.{fp}")
        }
    }

    #[test]
    fn fast_rounding_matches_the_reference_digit_for_digit() {
        let mut xs = vec![
            0.0,
            -0.0,
            0.005,
            0.015,
            0.995,
            9.995,
            99.995,
            999.995,
            1.005,
            2.675,
            -2.675,
            0.125,
            -0.001,
            -0.005,
            1e15,
            1e16,
            123456789.125,
            1e300,
            -1e300,
            5e-324,
            1e-7,
            0.5,
            9.5,
            f64::MAX,
            f64::MIN_POSITIVE,
            f64::NAN,
            f64::INFINITY,
            f64::NEG_INFINITY,
        ];
        // A spread of ordinary figures: achievements, scores, actuals.
        let mut seed = 0x2545_f491_4f6c_dd1d_u64;
        for _ in 0..20_000 {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            let scale = [1.0, 100.0, 1e-3, 1e6][(seed % 4) as usize];
            xs.push(((seed >> 11) as f64 / (1u64 << 53) as f64 - 0.3) * scale);
            xs.push((seed % 100_000) as f64 / 1000.0);
        }
        // Near ties at every place, where the fast path must step aside.
        for i in -20_000..20_000 {
            xs.push(i as f64 / 997.0);
            xs.push(i as f64 / 1000.0 + 0.005);
            xs.push(i as f64 / 10_000.0 + 0.000_05);
            xs.push(i as f64 * 1_000.5);
        }
        for x in xs {
            for places in [0, 1, 2, 3] {
                assert_eq!(
                    round_to(x, places),
                    round_to_reference(x, places),
                    "{x} {places}"
                );
            }
            let r = round_to_reference(x, 2);
            let trimmed = if r.contains('.') {
                r.trim_end_matches('0').trim_end_matches('.').to_string()
            } else {
                r
            };
            assert_eq!(num(x), trimmed, "{x}");
        }
    }
}
