/** The Luhn check digit for a string of digits: catches any single mistyped digit and most swapped pairs. */
export function luhnCheckDigit(digits: string): number {
  let sum = 0;
  for (let index = 0; index < digits.length; index++) {
    // Doubling starts from the rightmost payload digit, because the check digit will sit to its right.
    let value = Number(digits[digits.length - 1 - index]);
    if (index % 2 === 0) {
      value *= 2;
      if (value > 9) value -= 9;
    }
    sum += value;
  }
  return (10 - (sum % 10)) % 10;
}
