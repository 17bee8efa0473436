/** A short message at the centre of the screen, no icon: the length Chinese error messages need. */
export function toast(title: string, icon: 'none' | 'success' = 'none'): void {
  wx.showToast({ title, icon, duration: 2000 });
}

/** wx.showModal as a yes/no question; dismissing it counts as no. */
export function confirm(options: { title: string; content: string; confirmText?: string }): Promise<boolean> {
  return new Promise((resolve) => {
    wx.showModal({
      ...options,
      success: (result) => resolve(result.confirm),
      fail: () => resolve(false),
    });
  });
}
