import { errorMessage, isApiError } from '../services/api-error';
import type { ViewStatus } from './view-status';

const JOIN_TAB = '/pages/card/index';

export interface FailureState {
  status: ViewStatus;
  errorMessage: string;
  emptyText: string;
  actionText: string;
}

/**
 * What a page shows when its first load fails: an invitation to join for a consumer who is not a member yet,
 * otherwise the error with a retry button.
 */
export function failureState(error: unknown, notMemberText: string): FailureState {
  if (isApiError(error, 'NOT_A_MEMBER')) return { status: 'empty', errorMessage: '', emptyText: notMemberText, actionText: '去入会' };
  return { status: 'error', errorMessage: errorMessage(error), emptyText: '', actionText: '' };
}

/** The join flow lives on the card tab. */
export function goJoin(): void {
  wx.switchTab({ url: JOIN_TAB });
}
