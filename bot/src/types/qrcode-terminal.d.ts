declare module 'qrcode-terminal' {
  interface QrcodeTerminal {
    generate(input: string, options?: { small?: boolean }, callback?: (qrcode: string) => void): void;
    setErrorLevel(level: 'L' | 'M' | 'Q' | 'H'): void;
  }
  const qrcodeTerminal: QrcodeTerminal;
  export default qrcodeTerminal;
}
