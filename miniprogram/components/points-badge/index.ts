import { SiyuComponent } from '../../common/component';

/** Spendable points as a pill, e.g. on the rewards list and the card. */
SiyuComponent({
  props: {
    points: { type: Number, value: 0 },
    label: { type: String, value: '可用积分' },
    /** Frozen purchase points, shown beside when above zero. */
    frozen: { type: Number, value: 0 },
  },
  data: {},
  methods: {},
});
