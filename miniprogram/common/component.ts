/**
 * The one place that calls `Component()`, as vant-weapp's `VantComponent` does: every page and component
 * declares its data, properties and methods here and gets `this` typed from them.
 *
 * Pages are built with `Component()` too (page lifecycles such as `onLoad` go in `methods`), which keeps one
 * factory and lets miniprogram-simulate load pages the way it loads components.
 */
type DataOption = WechatMiniprogram.Component.DataOption;
type PropertyOption = WechatMiniprogram.Component.PropertyOption;
type MethodOption = WechatMiniprogram.Component.MethodOption;
type AnyObject = WechatMiniprogram.IAnyObject;

export type ComponentInstance<
  TData extends DataOption,
  TProps extends PropertyOption,
  TMethods extends MethodOption,
  TFields extends AnyObject = {},
  TIsPage extends boolean = false,
> = WechatMiniprogram.Component.Instance<TData, TProps, TMethods, [], TFields, TIsPage>;

interface Lifetimes {
  attached?(): void;
  detached?(): void;
}

interface SharedOptions<TData extends DataOption, TMethods extends MethodOption, TFields extends AnyObject> {
  data: TData;
  methods: TMethods;
  /**
   * Per-instance fields that are not rendered (timer handles, pending keys). Copied onto each instance when it
   * is created, so instances never share them; keeping them out of `data` avoids a setData for bookkeeping.
   */
  fields?: TFields;
}

export interface SiyuComponentOptions<
  TData extends DataOption,
  TProps extends PropertyOption,
  TMethods extends MethodOption,
  TFields extends AnyObject,
> extends SharedOptions<TData, TMethods, TFields>,
    Lifetimes {
  props?: TProps;
  /** Property name → observer, e.g. `{ value() { this.draw(); } }`. */
  observers?: Record<string, (...values: unknown[]) => void>;
}

function fieldsInitializer<TFields extends AnyObject>(fields: TFields | undefined) {
  return function created(this: AnyObject): void {
    if (fields) Object.assign(this, { ...fields });
  };
}

/** A reusable component: global styles apply, named slots allowed. */
export function SiyuComponent<
  TData extends DataOption,
  TProps extends PropertyOption,
  TMethods extends MethodOption,
  TFields extends AnyObject = {},
>(
  options: SiyuComponentOptions<TData, TProps, TMethods, TFields> & ThisType<ComponentInstance<TData, TProps, TMethods, TFields>>,
): void {
  Component({
    options: { addGlobalClass: true, multipleSlots: true },
    properties: options.props ?? ({} as TProps),
    data: options.data,
    methods: options.methods,
    observers: options.observers ?? {},
    lifetimes: { created: fieldsInitializer(options.fields), attached: options.attached, detached: options.detached },
  });
}

export type SiyuPageOptions<TData extends DataOption, TMethods extends MethodOption, TFields extends AnyObject> = SharedOptions<
  TData,
  TMethods & Partial<WechatMiniprogram.Page.ILifetime>,
  TFields
>;

/** A page: its lifecycles (`onLoad`, `onShow`, `onReachBottom`, `onShareAppMessage`…) are methods. */
export function SiyuPage<TData extends DataOption, TMethods extends MethodOption, TFields extends AnyObject = {}>(
  options: SiyuPageOptions<TData, TMethods, TFields> & ThisType<ComponentInstance<TData, {}, TMethods, TFields, true>>,
): void {
  Component({
    options: { addGlobalClass: true },
    data: options.data,
    methods: options.methods,
    lifetimes: { created: fieldsInitializer(options.fields) },
  });
}
