/** The state of a page's data, rendered by the state-view component until it is `ready`. */
export type ViewStatus = 'loading' | 'empty' | 'error' | 'ready';
