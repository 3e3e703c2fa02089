// SPEC §2, first example: tasks with cron triggers, added through Task and addTask, then updated
// and rescheduled. Run by test/acceptance/examples.test.ts.
import { AsyncIOScheduler, CronTrigger, Task } from "@asyncz/core";

/** @returns the tasks as the scheduler holds them once the example has run */
export async function main(): Promise<Array<{ id: string; name: string; trigger: string }>> {
  const scheduler = new AsyncIOScheduler();
  function checkStatus() {
    /* ... */
  }

  // Create a task: constructing a Task with a scheduler registers it (pending until start).
  const task = new Task({
    id: "my-task",
    fn: checkStatus,
    name: "my-func",
    scheduler,
    trigger: new CronTrigger({ dayOfWeek: "mon,tue,wed,thu,fri,sat,sun", hour: 8, minute: 1 }),
    maxInstances: 3,
    coalesce: true,
  });
  await scheduler.start();

  // Or submit one manually with a changed trigger.
  const t = new Task({ id: "my-task2", fn: checkStatus, maxInstances: 1, coalesce: true });
  await scheduler.addTask(t, {
    trigger: new CronTrigger({ dayOfWeek: "mon-fri", hour: 8, minute: 1 }),
  });

  // Update: every attribute but the id; changing the id throws.
  await task.update({ name: "my-new-task-id", maxInstances: 5, coalesce: false });

  // Reschedule: change the trigger only; a trigger alias plus its arguments.
  await task.reschedule({ trigger: "cron", hour: 10, minute: 5 });

  const tasks = await scheduler.getTasks();
  await scheduler.shutdown();
  return tasks.map((x) => ({ id: x.id, name: x.name, trigger: String(x.trigger) }));
}
