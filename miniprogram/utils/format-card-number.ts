/** Groups a card number in fours for reading aloud: "880012345" → "8800 1234 5". Non-digits are dropped. */
export function formatCardNumber(cardNumber: string): string {
  return cardNumber.replace(/\D/g, '').replace(/(\d{4})(?=\d)/g, '$1 ');
}
