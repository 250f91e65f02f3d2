// What a page of the app is: drawn into a root element, told of live changes, and put away when left.
export interface Page {
  onStore?(): void
  onLog?(uid: string, size: number): void
  dispose?(): void
}

export type PageFactory = (root: HTMLElement, arg: string) => Page
