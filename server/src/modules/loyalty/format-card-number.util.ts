/** Groups a card number for reading aloud: 880012345 → "8800 1234 5". */
export function formatCardNumber(cardNumber: string): string {
  return cardNumber.replace(/(\d{4})(?=\d)/g, '$1 ');
}
