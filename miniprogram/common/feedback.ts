/** A short message at the centre of the screen, no icon: the length Chinese error messages need. */
export function toast(title: string, icon: 'none' | 'success' = 'none'): void {
  wx.showToast({ title, icon, duration: 2000 });
}

/**
 * wx.showModal as a yes/no question; dismissing it counts as no. `onConfirm` runs inside the confirm tap's
 * callback, for what WeChat allows only during a user gesture (wx.requestSubscribeMessage): after the await it
 * would be too late.
 */
export function confirm(options: { title: string; content: string; confirmText?: string; onConfirm?: () => void }): Promise<boolean> {
  const { onConfirm, ...modal } = options;
  return new Promise((resolve) => {
    wx.showModal({
      ...modal,
      success: (result) => {
        if (result.confirm) onConfirm?.();
        resolve(result.confirm);
      },
      fail: () => resolve(false),
    });
  });
}
