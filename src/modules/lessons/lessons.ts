import { and, asc, eq } from "drizzle-orm";
import type { Db } from "../../db/client.js";
import { nextRef } from "../../domain/refs.js";
import { lessons } from "./lessons.sql.js";

/** Lessons learnt: proposed by anyone, adopted with a procedure to change, verified once it has changed. */

export type LessonRow = typeof lessons.$inferSelect;
export type LessonStatus = LessonRow["status"];

/** Propose a lesson under the next L-n ref. */
export async function proposeLesson(
  db: Db,
  l: { partnershipId: number; text: string; source: string | null; createdBy: number; createdAt: Date },
): Promise<LessonRow> {
  const refNo = await nextRef(db, l.partnershipId, "lesson");
  const [row] = await db
    .insert(lessons)
    .values({ ...l, refNo })
    .returning();
  return row!;
}

export async function lessonByRef(db: Db, partnershipId: number, refNo: number): Promise<LessonRow | undefined> {
  const [row] = await db.select().from(lessons).where(and(eq(lessons.partnershipId, partnershipId), eq(lessons.refNo, refNo)));
  return row;
}

/** proposed → adopted with its follow-up; undefined if the lesson was not (or no longer) proposed. */
export async function adoptLesson(db: Db, id: number, followUp: string, by: number, at: Date): Promise<LessonRow | undefined> {
  const [row] = await db
    .update(lessons)
    .set({ status: "adopted", followUp, adoptedBy: by, adoptedAt: at })
    .where(and(eq(lessons.id, id), eq(lessons.status, "proposed")))
    .returning();
  return row;
}

/** adopted → verified; undefined if the lesson was not (or no longer) adopted. */
export async function verifyLesson(db: Db, id: number): Promise<LessonRow | undefined> {
  const [row] = await db
    .update(lessons)
    .set({ status: "verified" })
    .where(and(eq(lessons.id, id), eq(lessons.status, "adopted")))
    .returning();
  return row;
}

/** A partnership's lessons, oldest first. */
export async function lessonsOf(db: Db, partnershipId: number): Promise<LessonRow[]> {
  return db.select().from(lessons).where(eq(lessons.partnershipId, partnershipId)).orderBy(asc(lessons.refNo));
}
