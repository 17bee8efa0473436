import { SiyuComponent } from '../../common/component';
import { barRects } from '../../utils/bar-rects';
import { encodeCode128 } from '../../utils/code128';

const CANVAS_SELECTOR = '#barcode';
const BAR_COLOR = '#111111';

type Canvas2D = WechatMiniprogram.CanvasRenderingContext.CanvasRenderingContext2D;

/** A Code 128 barcode of `value` drawn on a 2D canvas, for tills that scan barcodes rather than QR codes. */
SiyuComponent({
  props: {
    value: { type: String, value: '' },
  },
  data: {
    /** Bars drawn last time; kept so the rendering can be checked without a real canvas. */
    barCount: 0,
  },
  observers: {
    value(): void {
      this.draw();
    },
  },
  attached(): void {
    this.draw();
  },
  methods: {
    draw(): void {
      const value = this.data.value;
      if (!value) return;
      const widths = encodeCode128(value);
      this.setData({ barCount: Math.ceil(widths.length / 2) });
      this.createSelectorQuery()
        .select(CANVAS_SELECTOR)
        .fields({ node: true, size: true })
        .exec((results: Array<{ node?: WechatMiniprogram.Canvas; width?: number; height?: number } | null>) => {
          const field = results[0];
          // No canvas node outside a real renderer (or before layout): nothing to paint yet.
          if (!field?.node || !field.width || !field.height) return;
          this.paint(field.node, field.width, field.height, widths);
        });
    },
    paint(canvas: WechatMiniprogram.Canvas, width: number, height: number, widths: number[]): void {
      const ratio = wx.getWindowInfo().pixelRatio;
      canvas.width = width * ratio;
      canvas.height = height * ratio;
      const context = canvas.getContext('2d') as Canvas2D;
      context.scale(ratio, ratio);
      context.clearRect(0, 0, width, height);
      context.fillStyle = BAR_COLOR;
      for (const bar of barRects({ widths, width })) context.fillRect(bar.x, 0, bar.width, height);
    },
  },
});
