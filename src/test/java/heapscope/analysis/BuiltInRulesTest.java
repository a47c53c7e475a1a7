package heapscope.analysis;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The built-in known patterns recognise their signatures, as symbolized ESP-IDF stacks show them, and no other. */
class BuiltInRulesTest {
    private static String match(long size, String... functions) throws Exception {
        for (LeakRule r : SiteData.load(null, null).rules()) {
            if (r.matches(List.of(functions), size)) {
                return r.name();
            }
        }
        return null;
    }

    @Test
    void eachRuleMatchesItsSignature() throws Exception {
        assertThat(match(84, "pvPortMalloc", "xQueueGenericCreate", "xQueueCreateMutex", "pthread_mutex_init",
                "std::recursive_mutex::recursive_mutex()", "rtc::synchronized_callback<rtc::PeerConnection::State>::synchronized_callback()"))
                .isEqualTo("freertos-mutex");
        assertThat(match(340, "pvPortMalloc", "prvTaskCreateDynamicPinnedToCoreWithCaps", "pthread_create_freertos_task_with_caps",
                "pthread_create", "rtc::impl::Init::doInit()")).isEqualTo("thread-control-block");
        assertThat(match(352, "pvPortMalloc", "xTaskCreatePinnedToCore", "app_main")).isEqualTo("task-control-block");
        assertThat(match(48, "operator new(unsigned int)",
                "std::_Sp_counted_ptr_inplace<rtc::Track, std::allocator<rtc::Track>, (__gnu_cxx::_Lock_policy)2>::_Sp_counted_ptr_inplace()",
                "std::make_shared<rtc::Track>()")).isEqualTo("shared-ptr-control-block");
        assertThat(match(64, "operator new(unsigned int)",
                "std::_Function_base::_Base_manager<Foo::start()::{lambda()#1}>::_M_init_functor()", "std::function<void ()>::function()"))
                .isEqualTo("std-function-capture");
        assertThat(match(92, "malloc", "_lock_init_recursive", "__sinit", "_vfprintf_r", "printf", "worker_task"))
                .isEqualTo("stdio-lock-first-printf");
        assertThat(match(160, "memp_malloc", "tcp_alloc", "tcp_new_ip_type", "netconn_alloc")).isEqualTo("lwip-tcp-time-wait");
        assertThat(match(1600, "heap_caps_malloc", "esp_coex_common_malloc_internal_wrapper", "esf_buf_alloc_dynamic")).isEqualTo("wifi-buffer");
        assertThat(match(36, "_Balloc", "__d2b", "_dtoa_r", "_svfprintf_r")).isEqualTo("printf-float-buffer");
    }

    @Test
    void ordinaryAllocationsAndWrongSizesMatchNothing() throws Exception {
        assertThat(match(84, "malloc", "parse_config", "app_main")).isNull();
        assertThat(match(4096, "pvPortMalloc", "xQueueGenericCreate", "xQueueCreateMutex")).isNull(); // a mutex is not 4 KiB
    }
}
