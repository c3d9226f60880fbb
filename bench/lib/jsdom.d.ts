// The slice of jsdom's API the bench uses (jsdom ships no types; @types/jsdom would be one more dependency for two lines).
declare module 'jsdom' {
  export class JSDOM {
    constructor(html: string, options?: { url?: string; pretendToBeVisual?: boolean });
    readonly window: Window & typeof globalThis;
  }
}
