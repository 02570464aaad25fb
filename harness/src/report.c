/* report.c: building and freeing reports, stacks, frames and endings. */
#define _GNU_SOURCE
#include "report.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void rl_report_init(rl_report *r, rl_kind kind, const char *tool_kind, const char *headline)
{
    memset(r, 0, sizeof *r);
    r->kind = kind;
    r->tool_kind = rl_xstrdup(tool_kind ? tool_kind : "");
    r->headline = rl_xstrdup(headline ? headline : "");
}

rl_report *rl_report_list_add(rl_report_list *list)
{
    list->items = rl_xgrow(list->items, &list->cap, list->count + 1, sizeof *list->items);
    rl_report *r = &list->items[list->count++];
    memset(r, 0, sizeof *r);
    return r;
}

void rl_report_list_move(rl_report_list *to, rl_report_list *from)
{
    for (size_t i = 0; i < from->count; i++)
        *rl_report_list_add(to) = from->items[i];
    free(from->items);
    memset(from, 0, sizeof *from);
}

rl_stack *rl_report_add_stack(rl_report *r, const char *title, int access)
{
    r->stacks = rl_xrealloc(r->stacks, (r->nstacks + 1) * sizeof *r->stacks);
    rl_stack *s = &r->stacks[r->nstacks++];
    memset(s, 0, sizeof *s);
    s->title = rl_xstrdup(title ? title : "");
    s->access = access;
    return s;
}

void rl_stack_add_frame(rl_stack *s, const char *function, const char *file, int line)
{
    if (s->nframes % 16 == 0)
        s->frames = rl_xrealloc(s->frames, (s->nframes + 16) * sizeof *s->frames);
    rl_frame *f = &s->frames[s->nframes++];
    f->function = function && *function ? rl_xstrdup(function) : NULL;
    f->file = file && *file ? rl_xstrdup(file) : NULL;
    f->line = line;
}

void rl_report_clear(rl_report *r)
{
    for (size_t s = 0; s < r->nstacks; s++) {
        for (size_t j = 0; j < r->stacks[s].nframes; j++) {
            free(r->stacks[s].frames[j].function);
            free(r->stacks[s].frames[j].file);
        }
        free(r->stacks[s].frames);
        free(r->stacks[s].title);
    }
    free(r->stacks);
    free(r->tool_kind);
    free(r->headline);
    memset(r, 0, sizeof *r);
}

void rl_report_list_clear(rl_report_list *list)
{
    for (size_t i = 0; i < list->count; i++)
        rl_report_clear(&list->items[i]);
    free(list->items);
    list->items = NULL;
    list->count = list->cap = 0;
}

void rl_ending_set(rl_ending *e, rl_kind kind, int code, int by_tool, const char *fmt, ...)
{
    free(e->detail);
    e->kind = kind;
    e->code = code;
    e->by_tool = by_tool;
    va_list ap;
    va_start(ap, fmt);
    if (vasprintf(&e->detail, fmt, ap) < 0)
        rl_out_of_memory();
    va_end(ap);
}

void rl_ending_clear(rl_ending *e)
{
    free(e->detail);
    memset(e, 0, sizeof *e);
}

void rl_move_frames(rl_report_list *reports, const char *from, const char *to)
{
    for (size_t r = 0; r < reports->count; r++)
        for (size_t s = 0; s < reports->items[r].nstacks; s++)
            for (size_t f = 0; f < reports->items[r].stacks[s].nframes; f++) {
                rl_frame *fr = &reports->items[r].stacks[s].frames[f];
                if (fr->file && strcmp(fr->file, from) == 0) {
                    free(fr->file);
                    fr->file = rl_xstrdup(to);
                }
            }
}
