//! `Phi<T>`: a wrapper for protected health information. It prints `[redacted]` in `Debug` and
//! `Display`, so a value that holds PHI cannot reach a log line or an error message by accident;
//! code that needs the value asks for it by name with `expose`.

use std::fmt;

#[derive(Clone, PartialEq, Eq, Default, serde::Deserialize)]
#[serde(transparent)]
pub struct Phi<T>(T);

impl<T> Phi<T> {
    pub fn new(value: T) -> Self {
        Phi(value)
    }

    pub fn expose(&self) -> &T {
        &self.0
    }

    pub fn into_inner(self) -> T {
        self.0
    }
}

impl<T> fmt::Debug for Phi<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

impl<T> fmt::Display for Phi<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

#[cfg(test)]
mod tests {
    use super::Phi;

    #[test]
    fn phi_never_prints_its_value() {
        let name = Phi::new(String::from("Canary Müller"));
        assert_eq!(format!("{name:?} {name}"), "[redacted] [redacted]");
        assert_eq!(name.expose(), "Canary Müller");
    }
}
