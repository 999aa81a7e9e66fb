/**
 * Builds the portable type registry (scale-info's `PortableRegistry`) from shapes. Ids are given in
 * first-visit order, so the same declarations always give the same registry.
 */
import {
  type AnyShape,
  type FieldNode,
  type PrimitiveName,
  resolveShape,
  type TypeNode,
} from './dsl.js';

export interface RegistryField {
  name: string | undefined;
  type: number;
  typeName: string | undefined;
  docs: string[];
}

export type RegistryDef =
  | { tag: 'composite'; value: RegistryField[] }
  | {
      tag: 'variant';
      value: { name: string; fields: RegistryField[]; index: number; docs: string[] }[];
    }
  | { tag: 'sequence'; value: number }
  | { tag: 'array'; value: { len: number; type: number } }
  | { tag: 'tuple'; value: number[] }
  | { tag: 'primitive'; value: { tag: PrimitiveName; value: undefined } }
  | { tag: 'compact'; value: number }
  | { tag: 'bitSequence'; value: { bitStoreType: number; bitOrderType: number } };

export interface RegistryEntry {
  id: number;
  path: string[];
  params: { name: string; type: number | undefined }[];
  def: RegistryDef;
  docs: string[];
}

/** Collects shapes into a registry; `idOf` registers a shape (and everything it refers to). */
export class TypeRegistry {
  readonly entries: RegistryEntry[] = [];
  private readonly byShape = new Map<AnyShape, number>();
  private readonly byPrimitive = new Map<string, number>();

  idOf(input: AnyShape): number {
    const shape = resolveShape(input);
    const known = this.byShape.get(shape);
    if (known !== undefined) return known;
    const node = shape.node();
    // Primitives are shared by name, so two shapes of the same primitive get one id.
    if (node.kind === 'primitive' && shape.info.path.length === 0) {
      const p = this.byPrimitive.get(node.name);
      if (p !== undefined) {
        this.byShape.set(shape, p);
        return p;
      }
    }
    const id = this.entries.length;
    this.byShape.set(shape, id);
    const entry: RegistryEntry = {
      id,
      path: shape.info.path,
      params: [],
      def: { tag: 'tuple', value: [] },
      docs: shape.info.docs,
    };
    this.entries.push(entry);
    if (node.kind === 'primitive' && shape.info.path.length === 0)
      this.byPrimitive.set(node.name, id);
    entry.params = shape.info.params.map((p) => ({
      name: p.name,
      type: p.shape ? this.idOf(p.shape) : undefined,
    }));
    entry.def = this.defOf(node);
    return id;
  }

  private fields(fields: FieldNode[]): RegistryField[] {
    return fields.map((f) => ({
      name: f.name,
      type: this.idOf(f.shape),
      typeName: f.typeName,
      docs: f.docs ?? [],
    }));
  }

  private defOf(node: TypeNode): RegistryDef {
    switch (node.kind) {
      case 'primitive':
        return { tag: 'primitive', value: { tag: node.name, value: undefined } };
      case 'compact':
        return { tag: 'compact', value: this.idOf(node.inner) };
      case 'sequence':
        return { tag: 'sequence', value: this.idOf(node.inner) };
      case 'array':
        return { tag: 'array', value: { len: node.len, type: this.idOf(node.inner) } };
      case 'tuple':
        return { tag: 'tuple', value: node.items.map((s) => this.idOf(s)) };
      case 'composite':
        return { tag: 'composite', value: this.fields(node.fields) };
      case 'variant':
        return {
          tag: 'variant',
          value: node.variants.map((v) => ({
            name: v.name,
            index: v.index,
            fields: this.fields(v.fields),
            docs: v.docs ?? [],
          })),
        };
    }
  }
}
