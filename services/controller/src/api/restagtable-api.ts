import { type edgeproto } from '@edge/proto';
import { editObject } from '../crud/edit';
import { notFoundError } from '../crud/errors';
import type { ObjectRules } from '../crud/object-api';
import type { RpcHandler } from '../grpc/services';
import { cacheGet, holder, type PlacementContext } from '../placement/context';

type Table = edgeproto.ResTagTable;

/** ResTagTable names are stored in lower case, as in the original. */
export const resTagTableRules: ObjectRules<Table> = {
  validate(tbl, op) {
    if (op === 'create' && tbl.key) tbl.key.name = tbl.key.name.toLowerCase();
  },
};

/** AddResTag / RemoveResTag (edit the tags map) and GetResTagTable. */
export function resTagTableHandlers(ctx: PlacementContext): Record<string, RpcHandler> {
  const type = ctx.t.ResTagTable;
  return {
    AddResTag: async (req: Table) => {
      await editObject<Table>(ctx.deps.store, type, req, (tbl) => {
        Object.assign(tbl.tags, req.tags);
      });
      return {};
    },
    RemoveResTag: async (req: Table) => {
      await editObject<Table>(ctx.deps.store, type, req, (tbl) => {
        for (const k of Object.keys(req.tags)) delete tbl.tags[k];
      });
      return {};
    },
    GetResTagTable: async (req: edgeproto.ResTagTableKey) => {
      const tbl = cacheGet<Table>(ctx, type, req);
      if (!tbl) throw notFoundError(type, holder(type, req));
      return tbl;
    },
  };
}
