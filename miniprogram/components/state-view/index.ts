import { SiyuComponent } from '../../common/component';

/** What a page shows while its data is not ready: loading, nothing there yet, or a failure with a retry. */
SiyuComponent({
  props: {
    status: { type: String, value: 'loading' },
    /** The failure to show in the error state (ApiError messages are written for consumers). */
    message: { type: String, value: '' },
    emptyText: { type: String, value: '暂无内容' },
    /** A button under the empty state, e.g. 去入会; it fires `action`. */
    actionText: { type: String, value: '' },
  },
  data: {},
  methods: {
    onRetry(): void {
      this.triggerEvent('retry');
    },
    onAction(): void {
      this.triggerEvent('action');
    },
  },
});
